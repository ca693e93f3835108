package io.timesync.probe;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a {@link ProbeRunner}'s runs share: at most {@code size}, a new one started only when
 * every thread has a task (a probe abandoned at a deadline keeps its thread until it ends, and the
 * next run gets another), idle ones reused, so a daemon polling every second starts none, and ended
 * after {@code idle} without work, so a runner that is never closed holds no threads for long.
 * Tasks beyond {@code size} wait in order.
 *
 * <p>{@link ThreadPoolExecutor} alone either starts a thread per task up to its core size, idle ones
 * notwithstanding, or queues nothing once all threads are busy; the queue here refuses a task (so
 * the executor starts a thread) only while fewer threads are idle than tasks are pending.
 */
final class ProbePool extends ThreadPoolExecutor {

    private final AtomicInteger pending = new AtomicInteger();

    ProbePool(int size, Duration idle) {
        super(0, size, idle.toNanos(), TimeUnit.NANOSECONDS, new TaskQueue(), new ProbeThreads(),
                (task, executor) -> ((ProbePool) executor).overflow(task));
        ((TaskQueue) getQueue()).pool = this;
    }

    @Override
    public void execute(Runnable task) {
        pending.incrementAndGet();
        try {
            super.execute(task);
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            throw e;
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable thrown) {
        pending.decrementAndGet();
    }

    /** Every thread busy and no more allowed: the task waits for one. */
    private void overflow(Runnable task) {
        if (isShutdown()) {
            throw new RejectedExecutionException("the probe runner is closed");
        }
        ((TaskQueue) getQueue()).enqueue(task);
    }

    /** Takes a task only when an idle thread is there for it, or when no more threads may start. */
    private static final class TaskQueue extends LinkedBlockingQueue<Runnable> {
        private transient ProbePool pool;

        @Override
        public boolean offer(Runnable task) {
            if (pool.pending.get() > pool.getPoolSize() && pool.getPoolSize() < pool.getMaximumPoolSize()) {
                return false;
            }
            return super.offer(task);
        }

        void enqueue(Runnable task) {
            super.offer(task);
        }
    }

    /** Named daemon threads, so an abandoned probe never keeps a JVM alive. */
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
