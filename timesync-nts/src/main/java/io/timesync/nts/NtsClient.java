package io.timesync.nts;

import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.probe.HostResolver;
import io.timesync.probe.Probe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * NTS for TimeSync: makes {@link Probe}s that measure NTS servers, and keeps one {@link NtsSession}
 * per NTS-KE server so that key establishment runs once per session life, not once per probe
 * (optionally persisted by an {@link NtsSessionStore} across runs). A key establishment that failed
 * is not tried again with that server for {@link #RETRY_AFTER_FAILURE}: its probes fail at once with
 * the same reason meanwhile, so a server that is down, refuses or trickles its answer until the
 * deadline costs a daemon that polls every second one deadline a minute, not one a cycle.
 *
 * <p>Thread-safe.
 */
public final class NtsClient {

    private static final Logger log = LoggerFactory.getLogger(NtsClient.class);

    /** How long a session is reused by default; a NAK or an empty jar ends it sooner. */
    public static final Duration DEFAULT_SESSION_LIFETIME = Duration.ofHours(6);
    /** How long a key establishment that failed is not tried again with the same server. */
    public static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(64);

    private final NtsKeClient keyExchange;
    private final HostResolver resolver;
    private final TimeSource time;
    private final RandomGenerator random;
    private final NtsSessionStore store;
    private final long lifetimeNanos;
    private final Map<ServerAddress, NtsSession> sessions = new ConcurrentHashMap<>();
    private final Map<ServerAddress, Object> locks = new ConcurrentHashMap<>();
    private final Map<ServerAddress, Failure> failures = new ConcurrentHashMap<>();

    /** The last failed key establishment with a server: when (monotonic) and why. */
    private record Failure(long atMonotonic, NtsKeException error) {
    }

    /**
     * @param keyExchange the NTS-KE client (trust and deadline)
     * @param resolver    resolves NTS-KE and negotiated NTP server names
     * @param time        the local clocks
     * @param random      unique identifiers, nonces and NTP request nonces; a secure generator outside tests
     * @param store       where sessions persist across runs, or null to keep them in memory only
     * @param lifetime    how long a session is reused
     */
    public NtsClient(NtsKeClient keyExchange, HostResolver resolver, TimeSource time, RandomGenerator random,
                     NtsSessionStore store, Duration lifetime) {
        this.keyExchange = Objects.requireNonNull(keyExchange, "keyExchange");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.time = Objects.requireNonNull(time, "time");
        this.random = Objects.requireNonNull(random, "random");
        this.store = store;
        this.lifetimeNanos = lifetime.toNanos();
        if (store != null) {
            long now = time.wallClockNanos();
            for (NtsSession session : store.load()) {
                if (session.usable(now, lifetimeNanos)) {
                    sessions.put(session.keServer(), session);
                }
            }
        }
    }

    /**
     * A client on the system clocks, resolver and a {@link SecureRandom}.
     *
     * @param keDeadline how long one key establishment may take, over all the server's addresses
     */
    public static NtsClient create(NtsTrust trust, Duration keDeadline, NtsSessionStore store) {
        TimeSource time = TimeSource.system();
        return new NtsClient(new NtsKeClient(trust, keDeadline, time), HostResolver.system(), time,
                new SecureRandom(), store, DEFAULT_SESSION_LIFETIME);
    }

    /** How long one key establishment may take: what a probe needs before its first request, at most. */
    public Duration keyEstablishmentDeadline() {
        return keyExchange.deadline();
    }

    /**
     * A probe of the NTS server whose key establishment runs at {@code keServer} (host and NTS-KE
     * port); run many at once with {@link io.timesync.probe.ProbeRunner#measure}.
     */
    public Probe probe(ServerAddress keServer, ProbeOptions options) {
        return new NtsProbe(this, keServer, options, time, random);
    }

    /**
     * The usable session with {@code keServer}, after key establishment if there is none.
     *
     * @throws NtsKeException       when key establishment fails
     * @throws UnknownHostException when a name does not resolve
     */
    NtsSession session(ServerAddress keServer) throws NtsKeException, UnknownHostException {
        synchronized (locks.computeIfAbsent(keServer, k -> new Object())) {
            NtsSession current = sessions.get(keServer);
            if (current != null && current.usable(time.wallClockNanos(), lifetimeNanos)) {
                return current;
            }
            Failure failed = failures.get(keServer);
            long now = time.monotonicNanos();
            if (failed != null && now - failed.atMonotonic() < RETRY_AFTER_FAILURE.toNanos()) {
                String detail = failed.error().detail();
                throw new NtsKeException(failed.error().reason(), (detail == null ? "" : detail + " ")
                        + "(" + (now - failed.atMonotonic()) / 1_000_000_000L + " s ago; tried again "
                        + RETRY_AFTER_FAILURE.toSeconds() + " s after the failure)", failed.error());
            }
            NtsSession fresh;
            try {
                fresh = establish(keServer);
            } catch (NtsKeException e) {
                failures.put(keServer, new Failure(time.monotonicNanos(), e));
                throw e;
            }
            failures.remove(keServer);
            sessions.put(keServer, fresh);
            save();
            return fresh;
        }
    }

    /** Drops {@code session} (rejected or spent), so the next probe establishes keys again. */
    void forget(NtsSession session) {
        sessions.remove(session.keServer(), session);
        save();
    }

    /** Persists the sessions (their cookie jars changed), when a store is configured. */
    void save() {
        if (store != null) {
            store.save(List.copyOf(sessions.values()));
        }
    }

    private NtsSession establish(ServerAddress keServer) throws NtsKeException, UnknownHostException {
        NtsKeResult result = null;
        NtsKeException unreachable = null;
        // One deadline for the lookup and all the addresses: a server that has many must not get more time.
        long deadline = keyExchange.deadlineFromNow();
        InetAddress[] addresses = resolver.resolve(keServer.host());
        // Each address in the resolver's order, each with an equal share of what is left for its
        // connection, until one takes it; a TLS or protocol failure is the server's answer and is not
        // retried elsewhere, and a timeout after the connection spent the deadline.
        for (int i = 0; i < addresses.length; i++) {
            try {
                result = keyExchange.establish(keServer, addresses[i], keyExchange.connectBy(deadline, addresses.length - i),
                        deadline);
                break;
            } catch (NtsKeException e) {
                if (e.reason() != NtsKeException.Reason.CONNECT) {
                    throw e;
                }
                unreachable = e;
            }
        }
        if (result == null) {
            throw unreachable;
        }
        InetAddress keAddress = result.keAddress();
        NtsKeResponse response = result.response();
        InetAddress ntpAddress = response.server() == null ? keAddress : resolver.resolve(response.server())[0];
        int port = response.port() == 0 ? ServerAddress.NTP_PORT : response.port();
        log.debug("NTS session with {}: NTP at {}:{}", keServer, ntpAddress.getHostAddress(), port);
        return new NtsSession(keServer, new InetSocketAddress(ntpAddress, port), result.c2sKey(), result.s2cKey(),
                response.cookies(), time.wallClockNanos());
    }
}
