package io.timesync.testing;

import java.util.List;

/** Stopping the threads a test fixture started: each interrupted, then given up to two seconds to end. */
public final class Threads {

    private static final long JOIN_MILLIS = 2000;

    private Threads() {
    }

    /**
     * Interrupts each of {@code threads} and waits for it; stops waiting (the interrupt flag set again)
     * when the caller is interrupted itself.
     */
    public static void stop(List<Thread> threads) {
        for (Thread thread : threads) {
            thread.interrupt();
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
