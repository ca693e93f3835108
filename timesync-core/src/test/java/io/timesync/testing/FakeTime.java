package io.timesync.testing;

import io.timesync.agent.Sleeper;
import io.timesync.time.TimeSource;

/**
 * The agent's clocks for tests of its loop: waits take no time. The wall clock starts at the real
 * time, so servers serving the real time plus an offset mean what they say; both clocks move only
 * when slept.
 */
public final class FakeTime implements TimeSource, Sleeper {

    /** The wall clock at monotonic 0. */
    public final long wallStart = TimeSource.system().wallClockNanos();
    /** Monotonic nanoseconds since the start. */
    public long monotonic;

    @Override
    public long wallClockNanos() {
        return wallStart + monotonic;
    }

    @Override
    public long monotonicNanos() {
        return monotonic;
    }

    @Override
    public boolean sleepUntil(long deadline) {
        monotonic = Math.max(monotonic, deadline);
        return true;
    }

    @Override
    public void wake() {
    }
}
