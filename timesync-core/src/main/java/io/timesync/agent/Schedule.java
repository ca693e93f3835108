package io.timesync.agent;

import io.timesync.time.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.timesync.text.DurationText;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When the agent does which {@link CycleKind}: optimize at start and every optimize interval,
 * measure the selection every poll interval, check every tick in between (a service cycle: the
 * local service's reading or, with no service, the last measurement evaluated again). Pure:
 * times are monotonic nanoseconds passed in, so a step of the wall clock (which the agent itself may
 * cause) cannot disturb it, and tests drive it without waiting.
 *
 * <p>Politeness: network intervals only ever get longer by their jitter (0 to 10 %), never shorter,
 * so a public server is never polled faster than every 64 s; an optimize that falls due between two
 * polls waits for the next poll and takes its place, since it probes the selected servers too. A
 * fleet started in the same second (a data centre's power coming back) spreads out at once: each
 * agent starts at a random point of its first poll interval, its own phase from then on, and the
 * jitter keeps the phases apart. During
 * an outage (no server usable), the next attempt is an optimize cycle after a delay that doubles
 * from the poll interval up to the maximum backoff; the first good cycle ends it.
 */
public final class Schedule {

    /** The pool's rule: never poll one public server more often than this in steady state. */
    public static final Duration PUBLIC_POLL_FLOOR = Duration.ofSeconds(64);
    /** The shortest optimize interval for servers of one's own: more often than every second is a busy loop. */
    public static final Duration OWN_OPTIMIZE_FLOOR = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(Schedule.class);
    private static final long NEVER = Long.MAX_VALUE;
    // Shifts stop here: 2^20 poll intervals is far beyond any maximum backoff.
    private static final int MAX_DOUBLINGS = 20;

    /**
     * The intervals.
     *
     * @param tick             how often the mode checks (service readings)
     * @param pollInterval     how often the selected servers are measured
     * @param optimizeInterval how often every candidate is probed and the selection revisited
     * @param maxBackoff       the longest wait between attempts during an outage
     * @param startJitter      the first optimize starts at a random point within this
     * @param jitterFraction   network intervals are lengthened by a random share up to this (0.1 = 10 %)
     */
    public record Settings(Duration tick, Duration pollInterval, Duration optimizeInterval, Duration maxBackoff,
                           Duration startJitter, double jitterFraction) {
        /** Checks the intervals. */
        public Settings {
            for (Duration d : new Duration[] {tick, pollInterval, optimizeInterval, maxBackoff}) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("intervals must be positive, got " + DurationText.of(d));
                }
            }
            Objects.requireNonNull(startJitter, "startJitter");
            if (startJitter.isNegative() || !(jitterFraction >= 0 && jitterFraction <= 1)) {
                throw new IllegalArgumentException("jitter must be >= 0 (and the fraction at most 1)");
            }
        }

        /**
         * The mode's intervals: its tick, network polls at the tick but never faster than every 64 s
         * unless the servers are the user's own, a maximum backoff of an hour (or the poll interval
         * when that is longer), a start at a random point of the first poll interval, 10 % jitter.
         * (The time service keeps the clock right from boot; only the agent's first look waits.)
         * An optimize interval below {@link #optimizeFloor} is raised to it, with a warning.
         */
        public static Settings forMode(Mode mode, boolean ownServers, Duration optimizeInterval) {
            Duration floor = optimizeFloor(ownServers);
            if (optimizeInterval.compareTo(floor) < 0) {
                log.warn("an optimize interval of {} would poll {} faster than every {}: raised to {}", optimizeInterval,
                        ownServers ? "the servers" : "public servers", floor, floor);
                optimizeInterval = floor;
            }
            Duration poll = ownServers || mode.interval().compareTo(PUBLIC_POLL_FLOOR) >= 0 ? mode.interval() : PUBLIC_POLL_FLOOR;
            Duration maxBackoff = poll.compareTo(Duration.ofHours(1)) > 0 ? poll : Duration.ofHours(1);
            return new Settings(mode.interval(), poll, optimizeInterval, maxBackoff, poll, 0.1);
        }

        /**
         * The shortest optimize interval: {@link #PUBLIC_POLL_FLOOR} (each optimize cycle polls every
         * candidate), or {@link #OWN_OPTIMIZE_FLOOR} for servers that are the user's own.
         */
        public static Duration optimizeFloor(boolean ownServers) {
            return ownServers ? OWN_OPTIMIZE_FLOOR : PUBLIC_POLL_FLOOR;
        }

        /** A copy with another start jitter. */
        public Settings withStartJitter(Duration value) {
            return new Settings(tick, pollInterval, optimizeInterval, maxBackoff, value, jitterFraction);
        }
    }

    /**
     * The next cycle.
     *
     * @param kind          what to do
     * @param atMonotonic   when (monotonic nanoseconds)
     */
    public record Next(CycleKind kind, long atMonotonic) {
    }

    private final Settings settings;
    private final boolean ticking;
    private final boolean serviceReadable;
    private final RandomGenerator random;
    private long nextOptimize;
    private long nextPoll = NEVER;
    private long nextService = NEVER;
    private int failures;

    /**
     * @param settings           the intervals
     * @param serviceReadable    whether there is a local time service to read between polls; without
     *                           one the ticks evaluate the last measurement again, so they stop while
     *                           no server is usable (there is no measurement worth evaluating)
     * @param random             the jitter's source
     * @param startMonotonic     now
     */
    public Schedule(Settings settings, boolean serviceReadable, RandomGenerator random, long startMonotonic) {
        this.settings = Objects.requireNonNull(settings, "settings");
        // A tick only pays when it happens between polls.
        this.ticking = settings.tick().compareTo(settings.pollInterval()) < 0;
        this.serviceReadable = serviceReadable;
        this.random = Objects.requireNonNull(random, "random");
        this.nextOptimize = startMonotonic + (long) (random.nextDouble() * settings.startJitter().toNanos());
    }

    /**
     * The next cycle: the earliest due, optimize before measure before service on a tie. An optimize
     * due while the selection is being polled waits for the next poll.
     */
    public Next next() {
        long optimize = nextPoll == NEVER ? nextOptimize : Math.max(nextOptimize, nextPoll);
        if (optimize <= nextPoll && optimize <= nextService) {
            return new Next(CycleKind.OPTIMIZE, optimize);
        }
        if (nextPoll <= nextService) {
            return new Next(CycleKind.MEASURE, nextPoll);
        }
        return new Next(CycleKind.SERVICE, nextService);
    }

    /**
     * Records a finished cycle.
     *
     * @param kind        what it was
     * @param usable      whether it found a usable source (a server, or the service)
     * @param atMonotonic when it finished
     */
    public void completed(CycleKind kind, boolean usable, long atMonotonic) {
        switch (kind) {
            case OPTIMIZE -> {
                if (usable) {
                    failures = 0;
                    nextOptimize = atMonotonic + settings.optimizeInterval().toNanos();
                    nextPoll = atMonotonic + jittered(settings.pollInterval().toNanos());
                } else {
                    failures++;
                    nextOptimize = atMonotonic + jittered(backoffNanos());
                    nextPoll = NEVER;
                }
                nextService = tickAfter(usable, atMonotonic);
            }
            case MEASURE -> {
                if (usable) {
                    failures = 0;
                    nextPoll = atMonotonic + jittered(settings.pollInterval().toNanos());
                    // The measurement just made is this tick's reading.
                    nextService = tickAfter(true, atMonotonic);
                } else {
                    // The selection stopped answering: choose again, after a backoff.
                    failures++;
                    nextOptimize = Math.min(nextOptimize, atMonotonic + jittered(backoffNanos()));
                    nextPoll = NEVER;
                    nextService = tickAfter(false, atMonotonic);
                }
            }
            case SERVICE -> nextService = ticking ? atMonotonic + settings.tick().toNanos() : NEVER;
        }
    }

    /** The next tick after a network cycle: the service is read in any case, the last measurement only when there is one. */
    private long tickAfter(boolean usable, long atMonotonic) {
        return ticking && (usable || serviceReadable) ? atMonotonic + settings.tick().toNanos() : NEVER;
    }

    /** How many network cycles in a row found no usable server (0 when all is well). */
    public int failures() {
        return failures;
    }

    /** The wait before the next attempt after {@link #failures()} failures: the poll interval, doubling, capped. */
    long backoffNanos() {
        long poll = settings.pollInterval().toNanos();
        long max = settings.maxBackoff().toNanos();
        int doublings = Math.min(Math.max(failures - 1, 0), MAX_DOUBLINGS);
        return poll > max >> doublings ? max : Math.min(max, poll << doublings);
    }

    private long jittered(long nanos) {
        return nanos + (long) (random.nextDouble() * settings.jitterFraction() * nanos);
    }
}
