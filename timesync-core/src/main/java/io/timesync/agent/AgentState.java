package io.timesync.agent;

/** The agent's state as telemetry reports it: a change is one log line, not one per poll. */
public enum AgentState {
    /** Started, no network cycle finished yet. */
    STARTING,
    /** The last network cycle found a usable server. */
    SYNCHRONIZED,
    /** The last network cycle found none: backing off. */
    OUTAGE,
    /** Stopped. */
    STOPPED
}
