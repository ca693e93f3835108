package io.timesync.agent;

/** The three kinds of work one agent cycle can do, from the most to the least network traffic. */
public enum CycleKind {
    /** Probe every candidate, select (with hysteresis), configure the time service, correct. */
    OPTIMIZE,
    /** Probe only the selected servers, correct. Keeps the service's configuration as it is. */
    MEASURE,
    /**
     * Read the local time service's own view of the clock or, with no service to read, evaluate the
     * last filtered measurement again (no network either way), correct.
     */
    SERVICE
}
