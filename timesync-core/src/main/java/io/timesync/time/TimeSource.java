package io.timesync.time;

import java.time.Instant;

/**
 * Where measurements get the local time. Passed in everywhere time is read, so that tests can drive
 * a fake one and core code never reads a clock by itself.
 */
public interface TimeSource {

    /**
     * The wall clock, in nanoseconds since 1970-01-01T00:00Z (negative before). May jump when the
     * system clock is stepped.
     */
    long wallClockNanos();

    /** A monotonic clock in nanoseconds from an arbitrary origin; only differences mean anything. */
    long monotonicNanos();

    /**
     * Whether {@link #wallClockNanos()} reads the system's real-time clock ({@code CLOCK_REALTIME} on
     * Linux), the clock the kernel stamps received datagrams with. Only then may a probe take such a
     * stamp, a value the OS hands over with the datagram rather than a clock read, as its T4. False
     * unless overridden: a source with a wall clock of its own (a test's) keeps its T4 on that clock.
     */
    default boolean readsSystemRealtime() {
        return false;
    }

    /** The JVM's clocks: {@link Instant#now()} (nanosecond resolution where the OS offers it) and {@link System#nanoTime()}. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}

/** The system clocks; one instance. */
enum SystemTimeSource implements TimeSource {
    INSTANCE;

    @Override
    public long wallClockNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    // Instant.now() is clock_gettime(CLOCK_REALTIME) on Linux, the clock of SO_TIMESTAMPNS.
    @Override
    public boolean readsSystemRealtime() {
        return true;
    }
}
