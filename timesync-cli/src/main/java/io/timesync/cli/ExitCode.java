package io.timesync.cli;

/**
 * The exit codes of every timesync command, after BSD sysexits.h. A contract: scripts depend on
 * them, and the README lists them.
 */
public final class ExitCode {

    /** Success (for probe: at least one server answered). */
    public static final int OK = 0;
    /** doctor: every check ran, and at least one warns (nothing blocks TimeSync). */
    public static final int WARNINGS = 1;
    /** Bad command line: unknown option, value out of range, invalid host name or port. */
    public static final int USAGE = 64;
    /** No server usable: none answered, or none could be trusted. */
    public static final int NO_SERVER = 69;
    /** A bug: an unexpected internal error. */
    public static final int INTERNAL = 70;
    /** The time service refused or failed the change; the previous configuration was restored (or the message says it could not be). */
    public static final int CORRECTION_FAILED = 71;
    /** State or configuration could not be written. */
    public static final int CANNOT_WRITE = 73;
    /** The skew is beyond the panic bound and a large step was not allowed: nothing was changed. */
    public static final int REFUSED = 75;
    /**
     * daemon: another TimeSync daemon holds this state directory, or the time service configuration this
     * one would manage; the message names it (process id and start time). Nothing was changed.
     */
    public static final int ALREADY_RUNNING = 76;
    /** The action needs root (or Administrator). */
    public static final int PERMISSION = 77;

    private ExitCode() {
    }
}
