package io.timesync.agent;

import io.timesync.time.TimeSource;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** How the agent waits for its next cycle; {@link #wake()} ends the wait early, for a quick stop. */
public interface Sleeper {

    /**
     * Waits until the monotonic clock reaches {@code deadline}.
     *
     * @return true when the deadline came, false when woken
     * @throws InterruptedException when interrupted
     */
    boolean sleepUntil(long deadline) throws InterruptedException;

    /** Ends the current wait (and the next one, if none is running yet). */
    void wake();

    /** Sleeps on {@code time}'s monotonic clock. */
    static Sleeper on(TimeSource time) {
        return new Sleeper() {
            private final ReentrantLock lock = new ReentrantLock();
            private final Condition woken = lock.newCondition();
            private boolean wake;

            @Override
            public boolean sleepUntil(long deadline) throws InterruptedException {
                lock.lock();
                try {
                    long left;
                    while (!wake && (left = deadline - time.monotonicNanos()) > 0) {
                        woken.await(left, TimeUnit.NANOSECONDS);
                    }
                    return !wake;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void wake() {
                lock.lock();
                try {
                    wake = true;
                    woken.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        };
    }
}
