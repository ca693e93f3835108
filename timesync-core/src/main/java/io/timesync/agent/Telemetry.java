package io.timesync.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Receives what the agent does: every cycle, and every change of state. The CLI's status log,
 * JSON-lines file, Prometheus metrics and notifications are telemetry. Calls come from the agent's
 * thread; an implementation that throws is logged and ignored, so reporting never stops the agent.
 */
public interface Telemetry {

    /** One cycle finished. */
    void cycle(CycleReport report);

    /**
     * The state changed.
     *
     * @param from   the old state
     * @param to     the new state
     * @param reason for people
     * @param atUnixNanos when, on the agent's clock: the time of the cycle that changed it (so that
     *               rate limits and logs see one time line with {@link CycleReport#atUnixNanos()})
     */
    default void stateChanged(AgentState from, AgentState to, String reason, long atUnixNanos) {
    }

    /** Nothing to report to. */
    static Telemetry none() {
        return report -> {
        };
    }

    /** Reports to each in turn; one failing does not keep the others from their reports. */
    static Telemetry all(List<Telemetry> sinks) {
        List<Telemetry> copy = List.copyOf(sinks);
        Logger log = LoggerFactory.getLogger(Telemetry.class);
        return new Telemetry() {
            @Override
            public void cycle(CycleReport report) {
                for (Telemetry t : copy) {
                    try {
                        t.cycle(report);
                    } catch (RuntimeException e) {
                        log.warn("telemetry {} failed: {}", t, e.toString());
                    }
                }
            }

            @Override
            public void stateChanged(AgentState from, AgentState to, String reason, long atUnixNanos) {
                for (Telemetry t : copy) {
                    try {
                        t.stateChanged(from, to, reason, atUnixNanos);
                    } catch (RuntimeException e) {
                        log.warn("telemetry {} failed: {}", t, e.toString());
                    }
                }
            }
        };
    }
}
