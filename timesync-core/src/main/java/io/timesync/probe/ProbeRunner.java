package io.timesync.probe;

import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Probes many servers at once: resolves every name to all its addresses, then runs a
 * {@link UdpProbe} per address on a bounded pool ({@link ProbeOptions#concurrency()} threads, 256 by
 * default, started only as needed). Up to that bound, the wall time of a run is that of the slowest
 * address, not the sum. The runner's runs share the pool's threads, which end after
 * {@link #IDLE} without work or when the runner is {@linkplain #close closed}.
 *
 * <p>Results come back in the order the servers were given, each server's addresses in the
 * resolver's order. A name that does not resolve yields one {@link Measurement} carrying the error.
 *
 * <p>A run has one deadline ({@link #deadline}): a probe that has not returned by then, or that
 * broke, is recorded as failed with the reason and never awaited, so a slow or malicious server
 * never holds back the others' results, and it fails that server only, never the run.
 */
public final class ProbeRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeRunner.class);

    /** What every run allows before the first request, at least: the DNS lookups. */
    public static final Duration MIN_SETUP = Duration.ofSeconds(2);

    /**
     * How long an idle thread of the pool waits for the next run: longer than the polls of a daemon
     * measuring every second, so those start no threads; a run every minute or hours apart (an
     * optimize cycle) is not worth keeping stacks for.
     */
    public static final Duration IDLE = Duration.ofSeconds(10);

    /**
     * How long a name's addresses serve the runner's later runs before it is looked up again: a
     * daemon polling every second looks its servers up once a minute, not each poll (the JVM's own
     * cache keeps an answer for 30 s). Failed lookups are not kept.
     */
    public static final Duration RESOLVE_AGAIN = Duration.ofSeconds(60);

    private final ProbeOptions options;
    private final TimeSource time;
    private final HostResolver resolver;
    private final RandomGenerator random;
    private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();
    // Made by the first run, so that a runner built and never run starts nothing.
    private ProbePool pool;
    private boolean closed;

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
     * The longest a run of {@code probes} probes may take: the longest setup of its probes
     * ({@link Probe#setup()}: an NTS key establishment), at least {@link #MIN_SETUP} for the DNS
     * lookups, then the samples of an address, {@code (samples - 1) * max(spacing, timeout) + timeout}
     * (a request goes out every spacing unless the previous one took its whole timeout, and the last
     * one is awaited for one timeout), once for every round of {@link ProbeOptions#concurrency()}
     * probes. With the defaults (4 samples, 2 s apart, 1 s timeout) that is 9 s, and 12 s with NTS
     * servers (5 s for key establishment).
     */
    public static Duration deadline(ProbeOptions options, Duration setup, int probes) {
        Duration step = options.spacing().compareTo(options.timeout()) > 0 ? options.spacing() : options.timeout();
        Duration sampling = step.multipliedBy(options.samples() - 1L).plus(options.timeout());
        long rounds = Math.max(1, (probes + (long) options.concurrency() - 1) / options.concurrency());
        return (setup.compareTo(MIN_SETUP) > 0 ? setup : MIN_SETUP).plus(sampling.multipliedBy(rounds));
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
        Duration setup = Duration.ZERO;
        for (Probe probe : more) {
            setup = probe.setup().compareTo(setup) > 0 ? probe.setup() : setup;
        }
        long start = time.monotonicNanos();
        // The lookups come first and are awaited as a run of one round is; the run's deadline then counts the addresses.
        Duration lookupDeadline = deadline(options, setup, 1);
        ExecutorService pool = pool();
        List<Future<?>> submitted = new ArrayList<>();
        try {
            // The ready-made probes start first: theirs (key establishment) are the longest exchanges.
            List<Pending> extra = new ArrayList<>(more.size());
            for (Probe probe : more) {
                extra.add(new Pending(probe, submit(pool, submitted, probe::measure)));
            }
            List<Future<InetAddress[]>> lookups = new ArrayList<>(servers.size());
            for (ServerAddress server : servers) {
                Resolved known = resolved.get(server.host());
                lookups.add(known != null && start - known.atMonotonic() < RESOLVE_AGAIN.toNanos()
                        ? CompletableFuture.completedFuture(known.addresses())
                        : submit(pool, submitted, () -> lookUp(server.host())));
            }
            List<Pending> results = new ArrayList<>();
            for (int i = 0; i < servers.size(); i++) {
                ServerAddress server = servers.get(i);
                InetAddress[] addresses;
                try {
                    addresses = lookups.get(i).get(Math.max(0, start + lookupDeadline.toNanos() - time.monotonicNanos()),
                            TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    results.add(Pending.done(unresolved(server, e.getCause())));
                    continue;
                } catch (TimeoutException e) {
                    lookups.get(i).cancel(true);
                    results.add(Pending.done(unresolved(server, "DNS lookup for '" + server.host()
                            + "' gave no answer within the run's deadline of " + text(lookupDeadline))));
                    continue;
                }
                for (InetAddress address : addresses) {
                    String text = AddressText.of(address);
                    if (skip.test(Measurement.keyOf(text, server.port()))) {
                        results.add(Pending.done(new Measurement(server, text, server.port(), 0, 0,
                                List.of(), List.of(), null, "skipped")));
                        continue;
                    }
                    UdpProbe probe = new UdpProbe(server, new InetSocketAddress(address, server.port()), options, time, random);
                    results.add(new Pending(probe, submit(pool, submitted, probe::measure)));
                }
            }
            results.addAll(extra);
            int probes = (int) results.stream().filter(p -> p.probe() != null).count();
            Duration runDeadline = deadline(options, setup, probes);
            return collect(results, start + runDeadline.toNanos(), runDeadline);
        } finally {
            // Probes still running past the deadline (or when this run was interrupted) are interrupted and
            // left to end on their threads: their own timeouts bound them, and the pool starts others meanwhile.
            for (Future<?> future : submitted) {
                future.cancel(true);
            }
        }
    }

    /** Ends the pool's threads, interrupting probes still running; the runner runs no more. */
    @Override
    public synchronized void close() {
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private synchronized ExecutorService pool() {
        if (closed) {
            throw new IllegalStateException("the probe runner is closed");
        }
        if (pool == null) {
            pool = new ProbePool(options.concurrency(), IDLE);
        }
        return pool;
    }

    private static <T> Future<T> submit(ExecutorService pool, List<Future<?>> submitted, Callable<T> task) {
        Future<T> future = pool.submit(task);
        submitted.add(future);
        return future;
    }

    private InetAddress[] lookUp(String host) throws UnknownHostException {
        InetAddress[] addresses = resolver.resolve(host);
        resolved.put(host, new Resolved(addresses.clone(), time.monotonicNanos()));
        return addresses;
    }

    /** A name's addresses, and when they were looked up. */
    private record Resolved(InetAddress[] addresses, long atMonotonic) {
    }

    /** A probe's result to come, or one already known (probe null). */
    private record Pending(Probe probe, Future<Measurement> result) {
        static Pending done(Measurement measurement) {
            return new Pending(null, CompletableFuture.completedFuture(measurement));
        }
    }

    private List<Measurement> collect(List<Pending> pending, long deadline, Duration runDeadline)
            throws InterruptedException {
        List<Measurement> measurements = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            try {
                measurements.add(p.result().get(Math.max(0, deadline - time.monotonicNanos()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                p.result().cancel(true);
                String error = "no result within the run's deadline of " + text(runDeadline);
                log.warn("{}: {}", p.probe().source(), error);
                measurements.add(p.probe().failed(error));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                log.warn("{}: the probe failed", p.probe().source(), cause);
                measurements.add(p.probe().failed("the probe failed: " + cause));
            }
        }
        return measurements;
    }

    /** A duration as people write it: {@code 12 s}, {@code 1500 ms}. */
    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static Measurement unresolved(ServerAddress server, Throwable cause) {
        return unresolved(server, cause instanceof UnknownHostException
                ? "DNS lookup failed: unknown host '" + server.host() + "'"
                : "DNS lookup failed for '" + server.host() + "': " + cause);
    }

    private static Measurement unresolved(ServerAddress server, String error) {
        log.debug("{}", error);
        return new Measurement(server, null, server.port(), 0, 0, List.of(), List.of(), null, error);
    }
}
