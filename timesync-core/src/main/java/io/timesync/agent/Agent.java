package io.timesync.agent;

import io.timesync.time.TimeSource;
import io.timesync.memo.MemoException;
import io.timesync.text.DurationText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * The daemon's loop: runs the {@link Cycle} that the {@link Schedule} says is next, reports it to
 * {@link Telemetry}, until {@link #stop()}.
 *
 * <p>Stopping is quick and safe: a wait ends at once; a measurement in flight (probes, a service
 * reading) is interrupted, since it has changed nothing; a correction and the memo write that
 * follows it are never interrupted, and take well under a second. So the memo on disk is always the
 * one of the last finished cycle.
 */
public final class Agent {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final Cycle cycle;
    private final Schedule schedule;
    private final Telemetry telemetry;
    private final TimeSource time;
    private final Sleeper sleeper;
    private final Object lock = new Object();
    private boolean stopping;
    private Thread measuring;
    private AgentState state = AgentState.STARTING;

    /**
     * @param cycle     what each run does
     * @param schedule  when
     * @param telemetry where reports go
     * @param time      the clocks: wall for the memo, monotonic for the schedule
     * @param sleeper   how to wait
     */
    public Agent(Cycle cycle, Schedule schedule, Telemetry telemetry, TimeSource time, Sleeper sleeper) {
        this.cycle = Objects.requireNonNull(cycle, "cycle");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        // Reporting never stops the agent: a sink that throws is logged and ignored.
        this.telemetry = Telemetry.all(List.of(Objects.requireNonNull(telemetry, "telemetry")));
        this.time = Objects.requireNonNull(time, "time");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Runs cycles until {@link #stop()} is called.
     *
     * @throws MemoException        when the memo cannot be read (a corrupt one is set aside, so this is
     *                              an unreadable file or one from a newer TimeSync)
     * @throws InterruptedException when the thread is interrupted other than by {@link #stop()}
     */
    public void run() throws MemoException, InterruptedException {
        try {
            while (true) {
                Schedule.Next next = schedule.next();
                if (!sleeper.sleepUntil(next.atMonotonic())) {
                    return;
                }
                Cycle.Measured measured = measure(next.kind());
                if (measured == null) {
                    return;
                }
                CycleReport report = cycle.finish(measured);
                telemetry.cycle(report);
                schedule.completed(report.kind(), report.measured(), time.monotonicNanos());
                track(report);
            }
        } finally {
            change(AgentState.STOPPED, "stopped", time.wallClockNanos());
        }
    }

    /** Measures, or returns null when stopped meanwhile. */
    private Cycle.Measured measure(CycleKind kind) throws MemoException, InterruptedException {
        synchronized (lock) {
            if (stopping) {
                return null;
            }
            measuring = Thread.currentThread();
        }
        try {
            Cycle.Measured result = cycle.measure(kind, time.wallClockNanos());
            synchronized (lock) {
                measuring = null;
                // A stop() that came just after the measurement must not interrupt the correction.
                boolean interrupted = Thread.interrupted();
                if (stopping) {
                    return null;
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return result;
        } catch (InterruptedException e) {
            synchronized (lock) {
                if (stopping) {
                    return null;
                }
            }
            throw e;
        } finally {
            synchronized (lock) {
                measuring = null;
            }
        }
    }

    /** Ends {@link #run()} soon: at once when waiting or measuring, after the correction in progress otherwise. */
    public void stop() {
        synchronized (lock) {
            stopping = true;
            if (measuring != null) {
                measuring.interrupt();
            }
        }
        sleeper.wake();
    }

    /** The current state. */
    public AgentState state() {
        synchronized (lock) {
            return state;
        }
    }

    private void track(CycleReport report) {
        if (report.kind() == CycleKind.SERVICE) {
            return;
        }
        if (report.measured()) {
            change(AgentState.SYNCHRONIZED, "measuring " + report.source(), report.atUnixNanos());
        } else {
            Duration wait = Duration.ofNanos(Math.max(0, schedule.next().atMonotonic() - time.monotonicNanos()));
            change(AgentState.OUTAGE, report.detail() + "; " + schedule.failures() + " attempt(s) failed, next in "
                    + DurationText.of(wait.truncatedTo(ChronoUnit.SECONDS)), report.atUnixNanos());
        }
    }

    private void change(AgentState to, String reason, long atUnixNanos) {
        AgentState from;
        synchronized (lock) {
            from = state;
            if (from == to) {
                return;
            }
            state = to;
        }
        log.info("{} -> {}: {}", from, to, reason);
        telemetry.stateChanged(from, to, reason, atUnixNanos);
    }
}
