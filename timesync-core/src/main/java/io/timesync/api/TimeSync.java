package io.timesync.api;

import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.memo.Memo;
import io.timesync.probe.Probe;
import io.timesync.probe.HostResolver;
import io.timesync.probe.ProbeRunner;
import io.timesync.probe.SecureProbes;
import io.timesync.select.Decision;
import io.timesync.select.RunRecorder;
import io.timesync.select.SelectionPolicy;
import io.timesync.select.WeightedScorer;
import io.timesync.text.DurationText;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The entry point for applications that embed TimeSync: measure the offset of the local clock from
 * NTP servers, or get an {@link NtpClock} that keeps itself corrected. Needs no root, prints nothing,
 * logs through SLF4J only, and never changes the system clock.
 *
 * <pre>{@code
 * TimeSync ts = TimeSync.builder().servers("pool.ntp.org").ntsServers("time.cloudflare.com").build();
 * ts.measure().ifPresent(e -> System.out.println(e.offsetNanos() + " ns ± " + e.errorBoundNanos()));
 * try (NtpClock clock = ts.clock()) {
 *     Instant now = clock.instant();
 * }
 * }</pre>
 *
 * <p>Selection is TimeSync's own: falsetickers rejected (RFC 5905 intersection), outliers set aside
 * (its clustering), survivors scored, hysteresis and a blacklist kept in memory for the life of this
 * object. NTS servers (RFC 8915) are measured with authentication and preferred;
 * {@link Measurement#authenticated()} tells which samples verified. NTS needs the
 * {@code io.timesync:timesync-nts} artifact beside this one, which the builder finds on the class or
 * module path. An instance is safe for use by several threads.
 */
public final class TimeSync {

    private final List<ServerAddress> servers;
    private final List<Probe> ntsProbes;
    private final ProbeOptions options;
    private final Duration refreshInterval;
    private final Duration holdover;
    private final TimeSource time;
    private final SelectionPolicy policy = SelectionPolicy.defaults();
    private final ProbeRunner runner;
    private Memo memo = Memo.EMPTY;

    private TimeSync(Builder b) {
        this.servers = List.copyOf(b.servers);
        this.options = b.options;
        this.refreshInterval = b.refreshInterval;
        this.holdover = b.holdover;
        this.time = b.time;
        this.runner = new ProbeRunner(options, time, HostResolver.system(), new SecureRandom());
        // Sessions (keys and cookies) live in memory for the life of this object.
        this.ntsProbes = b.ntsServers.isEmpty() ? List.of()
                : List.copyOf(SecureProbes.require().probes(b.ntsServers, b.ntsTrust, options));
    }

    /** A builder with the defaults: no servers yet, {@link ProbeOptions#defaults()}, refresh every 64 s. */
    public static Builder builder() {
        return new Builder();
    }

    /** The servers, as given. */
    public List<ServerAddress> servers() {
        return servers;
    }

    /**
     * Probes every address of every server at once, NTS servers with authentication; no selection.
     *
     * @throws InterruptedException when the calling thread is interrupted
     */
    public List<Measurement> probe() throws InterruptedException {
        return runner.probe(servers, key -> false, ntsProbes);
    }

    /**
     * Probes, rejects falsetickers, selects, and combines the selection's offsets.
     *
     * @return the estimate, or empty when no server could be trusted (none answered, or no majority agreed)
     * @throws InterruptedException when the calling thread is interrupted
     */
    public Optional<TimeEstimate> measure() throws InterruptedException {
        List<Measurement> measurements = probe();
        long now = time.wallClockNanos();
        Decision decision;
        synchronized (this) {
            decision = new WeightedScorer(policy).decide(measurements, memo, now);
            memo = new RunRecorder(policy).record(memo, decision, now);
        }
        if (!decision.hasSelection()) {
            return Optional.empty();
        }
        List<Estimate> selected = new ArrayList<>();
        for (String key : decision.selection().servers()) {
            decision.verdicts().stream().filter(v -> v.key().equals(key)).findFirst()
                    .ifPresent(v -> selected.add(v.measurement().estimate()));
        }
        return Optional.of(TimeEstimate.combine(selected, decision.selection().servers(), now, measurements));
    }

    /**
     * A clock corrected by this instance's measurements, returned at once: it measures in the
     * background, at once and then every refresh interval, and is the system clock (unsynchronized)
     * until the first measurement lands. Close it to stop the refreshing.
     */
    public NtpClock clock() {
        return NtpClock.start(this, time, refreshInterval, holdover);
    }

    /** {@link #clock()} refreshing on {@code executor}: tests drive the refreshes themselves. */
    NtpClock clock(java.util.concurrent.ScheduledExecutorService executor) {
        return NtpClock.start(this, time, refreshInterval, holdover, executor);
    }

    /** Builds a {@link TimeSync}. */
    public static final class Builder {

        private final List<ServerAddress> servers = new ArrayList<>();
        private final List<ServerAddress> ntsServers = new ArrayList<>();
        private Path ntsTrust;
        private ProbeOptions options = ProbeOptions.defaults();
        private boolean ownServers;
        private Duration refreshInterval = PUBLIC_REFRESH;
        private Duration holdover = Duration.ofMinutes(15);
        private TimeSource time = TimeSource.system();

        /** The pool's rule: never poll a public server more often than this. */
        private static final Duration PUBLIC_REFRESH = Duration.ofSeconds(64);

        private Builder() {
        }

        /**
         * Adds servers: {@code HOST}, {@code HOST:PORT} or {@code [IPV6]:PORT} (port 123 by default).
         *
         * @throws IllegalArgumentException naming a server that is not a valid host name or address
         */
        public Builder servers(String... hosts) {
            for (String h : hosts) {
                servers.add(ServerAddress.parse(h, ServerAddress.NTP_PORT));
            }
            return this;
        }

        /** Adds servers. */
        public Builder servers(List<ServerAddress> addresses) {
            servers.addAll(addresses);
            return this;
        }

        /**
         * Adds NTS servers (RFC 8915): {@code HOST} or {@code HOST:KE-PORT} (key establishment on
         * port 4460 by default), measured with authentication; their certificates are checked
         * against the JDK's trust store unless {@link #ntsTrust(Path)} names another. Needs the
         * {@code io.timesync:timesync-nts} artifact on the class or module path.
         *
         * @throws IllegalArgumentException naming a server that is not a valid host name or address
         * @throws IllegalStateException    naming the artifact to add, when timesync-nts is not there
         */
        public Builder ntsServers(String... hosts) {
            SecureProbes.require();
            for (String h : hosts) {
                ntsServers.add(ServerAddress.parse(h, SecureProbes.KE_PORT));
            }
            return this;
        }

        /**
         * Trusts the CA certificates (PEM) in {@code file} for NTS key establishment, instead of the
         * JDK's trust store: for servers under a private CA.
         *
         * @throws IllegalArgumentException when the file cannot be read as certificates
         * @throws IllegalStateException    naming the artifact to add, when timesync-nts is not there
         */
        public Builder ntsTrust(Path file) {
            SecureProbes.require().checkTrust(file);
            ntsTrust = file;
            return this;
        }

        /** Requests per server and their spacing and timeout (defaults: 4, 2 s apart, 1 s timeout). */
        public Builder probeOptions(ProbeOptions value) {
            options = Objects.requireNonNull(value, "options");
            return this;
        }

        /**
         * How often an {@link NtpClock} measures again (default 64 s, the public pools' minimum).
         * Shorter intervals need {@link #ownServers(boolean)}.
         */
        public Builder refreshInterval(Duration value) {
            refreshInterval = Objects.requireNonNull(value, "refreshInterval");
            return this;
        }

        /** Marks the servers as the caller's own, which may be polled faster than every 64 s. */
        public Builder ownServers(boolean value) {
            ownServers = value;
            return this;
        }

        /**
         * How long an {@link NtpClock} keeps using its last good offset while no server answers
         * (default 15 minutes); after that it falls back to the system clock and says so.
         */
        public Builder holdover(Duration value) {
            holdover = Objects.requireNonNull(value, "holdover");
            return this;
        }

        /** The clocks to measure against (default: the system's); tests pass their own. */
        public Builder timeSource(TimeSource value) {
            time = Objects.requireNonNull(value, "time");
            return this;
        }

        /**
         * Builds.
         *
         * @throws IllegalArgumentException when no server was given, or a refresh faster than 64 s
         *                                  was asked of servers not marked as one's own
         */
        public TimeSync build() {
            if (servers.isEmpty() && ntsServers.isEmpty()) {
                throw new IllegalArgumentException("no server: add at least one with servers(...) or ntsServers(...)");
            }
            if (refreshInterval.isNegative() || refreshInterval.isZero()) {
                throw new IllegalArgumentException("the refresh interval must be positive, got " + DurationText.of(refreshInterval));
            }
            if (!ownServers && refreshInterval.compareTo(PUBLIC_REFRESH) < 0) {
                throw new IllegalArgumentException("public servers may be polled at most every 64 s, got "
                        + DurationText.of(refreshInterval) + ": use a longer refresh interval, or ownServers(true) for servers of your own");
            }
            if (holdover.isNegative()) {
                throw new IllegalArgumentException("the holdover must not be negative, got " + DurationText.of(holdover));
            }
            return new TimeSync(this);
        }
    }
}
