package io.timesync.app.doctor;

import io.timesync.platform.Diagnosis;

import java.util.Locale;

/**
 * One finding of {@code timesync doctor}: what was checked, how it went, and the fix.
 *
 * @param id       a stable key for scripts, e.g. {@code ntp}
 * @param title    what was checked, for people
 * @param status   pass, warn, fail, or skip (could not run because an earlier check failed)
 * @param detail   what was found
 * @param fix      what to do about it; null when nothing needs doing
 * @param cause    for a failure, what it stands for; {@link Cause#NONE} otherwise
 */
public record Check(String id, String title, Status status, String detail, String fix, Cause cause) {

    /** What a failure stands for (the CLI's exit codes 69, 73 and 77). */
    public enum Cause {
        /** Not a failure. */
        NONE,
        /** No server or time service is usable. */
        NO_SERVER,
        /** A directory or file cannot be written. */
        CANNOT_WRITE,
        /** This needs privileges the process lacks. */
        PERMISSION
    }

    /** How a check went. */
    public enum Status {
        PASS, WARN, FAIL, SKIP;

        /** The lower-case name used in output. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The platform's finding; a failure stands for no usable time service (69). */
    public static Check of(Diagnosis d) {
        return switch (d.status()) {
            case PASS -> pass(d.id(), d.title(), d.detail());
            case WARN -> warn(d.id(), d.title(), d.detail(), d.fix());
            case FAIL -> fail(d.id(), d.title(), d.detail(), d.fix(), Cause.NO_SERVER);
        };
    }

    /** A check that passed. */
    public static Check pass(String id, String title, String detail) {
        return new Check(id, title, Status.PASS, detail, null, Cause.NONE);
    }

    /** A check that found something to look at, with its fix. */
    public static Check warn(String id, String title, String detail, String fix) {
        return new Check(id, title, Status.WARN, detail, fix, Cause.NONE);
    }

    /** A check that failed, with its fix and what it stands for. */
    public static Check fail(String id, String title, String detail, String fix, Cause cause) {
        return new Check(id, title, Status.FAIL, detail, fix, cause);
    }

    /** A check that could not run because an earlier one failed. */
    public static Check skip(String id, String title, String detail) {
        return new Check(id, title, Status.SKIP, detail, null, Cause.NONE);
    }
}
