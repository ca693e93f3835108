package io.timesync.api;

import io.timesync.time.TimeSource;
import io.timesync.text.DurationText;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The system clock corrected by the offset that {@link TimeSync#measure()} measures, refreshed in
 * the background (every 64 s by default, the public pools' limit). It never changes the system
 * clock and needs no root.
 *
 * <p><b>Usable at once.</b> {@link TimeSync#clock()} returns without touching the network: the first
 * measurement runs in the background (a few probe timeouts where servers do not answer), and until
 * it lands the clock is the system clock, unsynchronized, as below. {@link #refresh()} measures in
 * the calling thread for those who would rather wait.
 *
 * <p><b>Fallback.</b> When no server can be trusted (none answers, or no majority agrees), the clock
 * keeps its last good offset for the holdover (15 minutes by default), its error bound growing by
 * 15 ppm of the estimate's age (RFC 5905's frequency tolerance). After that, or when no
 * measurement ever succeeded, it behaves as the system clock: {@link #isSynchronized()} is false,
 * {@link #offsetNanos()} is 0 and {@link #errorBoundNanos()} is {@link Long#MAX_VALUE}. Each change
 * between the two is logged once.
 *
 * <p>If the system clock is stepped (by the OS's time service), the offset is stale until the next
 * refresh. Close the clock to stop the refreshing; copies made with {@link #withZone} share it.
 */
public final class NtpClock extends Clock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NtpClock.class);
    private static final long NANOS = 1_000_000_000L;

    private final Shared shared;
    private final ZoneId zone;

    private NtpClock(Shared shared, ZoneId zone) {
        this.shared = shared;
        this.zone = zone;
    }

    static NtpClock start(TimeSync source, TimeSource time, Duration refresh, Duration holdover) {
        return start(source, time, refresh, holdover, Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "timesync-ntp-clock");
            t.setDaemon(true);
            return t;
        }));
    }

    /**
     * Measures on {@code executor} at once and then every {@code refresh}; the executor is the clock's
     * from now on (tests pass one they drive).
     */
    static NtpClock start(TimeSync source, TimeSource time, Duration refresh, Duration holdover,
                          ScheduledExecutorService executor) {
        Shared shared = new Shared(source, time, holdover, executor);
        shared.executor.scheduleWithFixedDelay(() -> {
            try {
                shared.refresh();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 0, refresh.toNanos(), TimeUnit.NANOSECONDS);
        return new NtpClock(shared, ZoneOffset.UTC);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId value) {
        return Objects.equals(zone, value) ? this : new NtpClock(shared, Objects.requireNonNull(value, "zone"));
    }

    @Override
    public Instant instant() {
        long t = shared.time.wallClockNanos() + offsetNanos();
        return Instant.ofEpochSecond(Math.floorDiv(t, NANOS), Math.floorMod(t, NANOS));
    }

    @Override
    public long millis() {
        return Math.floorDiv(shared.time.wallClockNanos() + offsetNanos(), 1_000_000L);
    }

    /** reference − system clock, in nanoseconds: what this clock adds to the system clock (0 when not synchronized). */
    public long offsetNanos() {
        Snapshot s = shared.current();
        return s == null ? 0 : s.estimate.offsetNanos();
    }

    /**
     * How far this clock may be from the reference, provided the primary server is honest: the last
     * estimate's bound ({@link TimeEstimate#errorBoundNanos()}) grown by 15 ppm of its age
     * ({@link TimeEstimate#errorBoundNanos(long)}); {@link Long#MAX_VALUE} (unknown) when not synchronized.
     */
    public long errorBoundNanos() {
        Snapshot s = shared.current();
        if (s == null) {
            return Long.MAX_VALUE;
        }
        return s.estimate.errorBoundNanos(shared.time.monotonicNanos() - s.atMonotonic);
    }

    /** Whether a trusted offset is applied (false: this clock is the system clock). */
    public boolean isSynchronized() {
        return shared.current() != null;
    }

    /** The estimate in use, or empty when not synchronized. */
    public Optional<TimeEstimate> estimate() {
        Snapshot s = shared.current();
        return s == null ? Optional.empty() : Optional.of(s.estimate);
    }

    /**
     * Measures now, in the calling thread, instead of waiting for the next background refresh.
     *
     * @throws InterruptedException when interrupted
     */
    public void refresh() throws InterruptedException {
        shared.refresh();
    }

    /** Stops the background refreshing (of every copy). The clock keeps answering, with its holdover rules. */
    @Override
    public void close() {
        shared.executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "NtpClock[" + zone + (isSynchronized() ? ", offset " + offsetNanos() + " ns" : ", unsynchronized") + "]";
    }

    private record Snapshot(TimeEstimate estimate, long atMonotonic) {
    }

    /** The state every zone view shares. */
    private static final class Shared {
        private final TimeSync source;
        private final TimeSource time;
        private final long holdoverNanos;
        private final ScheduledExecutorService executor;
        private volatile Snapshot last;
        // Until the first measurement ends there is nothing to say about trust, only "not yet".
        private volatile boolean measuredOnce;
        // The state last logged: null before the first.
        private volatile Boolean logged;

        Shared(TimeSync source, TimeSource time, Duration holdover, ScheduledExecutorService executor) {
            this.executor = executor;
            this.source = source;
            this.time = time;
            this.holdoverNanos = holdover.toNanos();
        }

        void refresh() throws InterruptedException {
            Optional<TimeEstimate> e;
            try {
                e = source.measure();
            } catch (RuntimeException failure) {
                log.warn("measuring the servers failed: {}", failure.toString());
                e = Optional.empty();
            }
            if (e.isPresent()) {
                keep(new Snapshot(e.get(), time.monotonicNanos()));
            } else {
                log.debug("no server could be trusted this time; keeping the last offset within the holdover");
            }
            measuredOnce = true;
            current();
        }

        /** The background refresh and {@link NtpClock#refresh()} may overlap: the newer result wins. */
        private synchronized void keep(Snapshot s) {
            if (last == null || s.atMonotonic - last.atMonotonic >= 0) {
                last = s;
            }
        }

        /** The snapshot in use, or null; logs each change of state once the first measurement has ended. */
        Snapshot current() {
            Snapshot s = last;
            if (!measuredOnce && s == null) {
                return null;
            }
            boolean usable = s != null && time.monotonicNanos() - s.atMonotonic <= holdoverNanos;
            if (logged == null || logged != usable) {
                changed(usable, s);
            }
            return usable ? s : null;
        }

        private synchronized void changed(boolean usable, Snapshot s) {
            if (logged != null && logged == usable) {
                return;
            }
            logged = usable;
            if (usable) {
                log.info("synchronized to {}: offset {} ns ± {} ns", s.estimate.server(), s.estimate.offsetNanos(),
                        s.estimate.errorBoundNanos());
            } else if (s == null) {
                log.warn("no server could be trusted: behaving as the system clock");
            } else {
                log.warn("no server trusted for {}: behaving as the system clock", DurationText.ofNanos(holdoverNanos));
            }
        }
    }
}
