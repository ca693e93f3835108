package io.timesync.probe;

import io.timesync.api.Measurement;
import io.timesync.api.ProbeOptions;
import io.timesync.api.ServerAddress;
import io.timesync.api.TimeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Probes many servers at once: resolves every name to all its addresses, then runs a
 * {@link UdpProbe} per address on a bounded pool ({@link ProbeOptions#concurrency()} threads, 256 by
 * default, started only as needed). Up to that bound, the wall time of a run is that of the slowest
 * address, not the sum.
 *
 * <p>Results come back in the order the servers were given, each server's addresses in the
 * resolver's order. A name that does not resolve yields one {@link Measurement} carrying the error.
 */
public final class ProbeRunner {

    private static final Logger log = LoggerFactory.getLogger(ProbeRunner.class);

    private final ProbeOptions options;
    private final TimeSource time;
    private final HostResolver resolver;
    private final RandomGenerator random;

    /** A runner on explicit clocks, resolver and nonce source (tests pass their own). */
    public ProbeRunner(ProbeOptions options, TimeSource time, HostResolver resolver, RandomGenerator random) {
        this.options = Objects.requireNonNull(options, "options");
        this.time = Objects.requireNonNull(time, "time");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A runner on the system clocks, the system resolver and a {@link SecureRandom}. */
    public static ProbeRunner create(ProbeOptions options) {
        return new ProbeRunner(options, TimeSource.system(), HostResolver.system(), new SecureRandom());
    }

    /**
     * Probes every address of every server.
     *
     * @throws InterruptedException when interrupted; the probes in flight are abandoned
     */
    public List<Measurement> probe(List<ServerAddress> servers) throws InterruptedException {
        return probe(servers, key -> false);
    }

    /**
     * Probes every address of every server, except those whose {@link Measurement#key()} {@code skip}
     * accepts (blacklisted ones): they get a measurement with nothing sent and the error
     * {@code "skipped"}, so callers still see them.
     *
     * @throws InterruptedException when interrupted; the probes in flight are abandoned
     */
    public List<Measurement> probe(List<ServerAddress> servers, Predicate<String> skip) throws InterruptedException {
        return probe(servers, skip, List.of());
    }

    /**
     * Runs ready-made probes (NTS servers, for one) on the same bounded pool, results in their order.
     *
     * @throws InterruptedException when interrupted; the probes in flight are abandoned
     */
    public List<Measurement> measure(List<? extends Probe> probes) throws InterruptedException {
        return probe(List.of(), key -> false, probes);
    }

    /**
     * Probes every address of every server as {@link #probe(List, Predicate)} does and, at the same
     * time on the same pool, runs {@code more} ready-made probes (NTS servers, for one): the results
     * of the servers' addresses, then those of {@code more}, each in order.
     *
     * @throws InterruptedException when interrupted; the probes in flight are abandoned
     */
    public List<Measurement> probe(List<ServerAddress> servers, Predicate<String> skip, List<? extends Probe> more)
            throws InterruptedException {
        if (servers.isEmpty() && more.isEmpty()) {
            return List.of();
        }
        WarmUp.once();
        // A fixed pool starts its threads lazily, so a small run creates only the threads it uses.
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency(), new ProbeThreads());
        try {
            // The ready-made probes start first: theirs (key establishment) are the longest exchanges.
            List<Future<Measurement>> extra = new ArrayList<>(more.size());
            for (Probe probe : more) {
                extra.add(pool.submit(probe::measure));
            }
            List<Future<InetAddress[]>> lookups = new ArrayList<>(servers.size());
            for (ServerAddress server : servers) {
                lookups.add(pool.submit(() -> resolver.resolve(server.host())));
            }
            List<Future<Measurement>> results = new ArrayList<>();
            for (int i = 0; i < servers.size(); i++) {
                ServerAddress server = servers.get(i);
                InetAddress[] addresses;
                try {
                    addresses = lookups.get(i).get();
                } catch (ExecutionException e) {
                    Measurement unresolved = unresolved(server, e.getCause());
                    results.add(CompletableFuture.completedFuture(unresolved));
                    continue;
                }
                for (InetAddress address : addresses) {
                    String text = AddressText.of(address);
                    if (skip.test(Measurement.keyOf(text, server.port()))) {
                        results.add(CompletableFuture.completedFuture(new Measurement(server, text, server.port(), 0, 0,
                                List.of(), List.of(), null, "skipped")));
                        continue;
                    }
                    UdpProbe probe = new UdpProbe(server, new InetSocketAddress(address, server.port()), options, time, random);
                    results.add(pool.submit(probe::measure));
                }
            }
            results.addAll(extra);
            return collect(results);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Measurement> collect(List<Future<Measurement>> results) throws InterruptedException {
        List<Measurement> measurements = new ArrayList<>(results.size());
        for (Future<Measurement> result : results) {
            try {
                measurements.add(result.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("probe failed unexpectedly", e.getCause());
            }
        }
        return measurements;
    }

    private static Measurement unresolved(ServerAddress server, Throwable cause) {
        String error = cause instanceof UnknownHostException
                ? "DNS lookup failed: unknown host '" + server.host() + "'"
                : "DNS lookup failed for '" + server.host() + "': " + cause;
        log.debug("{}", error);
        return new Measurement(server, null, server.port(), 0, 0, List.of(), List.of(), null, error);
    }

    /** Daemon threads, so an abandoned probe never keeps a JVM alive. */
    private static final class ProbeThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "timesync-probe-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
