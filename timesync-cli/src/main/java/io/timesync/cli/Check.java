package io.timesync.cli;

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
 * @param exitCode for a failure, the exit code it stands for (69, 73, 77); 0 otherwise
 */
record Check(String id, String title, Status status, String detail, String fix, int exitCode) {

    /** How a check went. */
    enum Status {
        PASS, WARN, FAIL, SKIP;

        /** The lower-case name used in output. */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The platform's finding; a failure stands for no usable time service (69). */
    static Check of(Diagnosis d) {
        return switch (d.status()) {
            case PASS -> pass(d.id(), d.title(), d.detail());
            case WARN -> warn(d.id(), d.title(), d.detail(), d.fix());
            case FAIL -> fail(d.id(), d.title(), d.detail(), d.fix(), ExitCode.NO_SERVER);
        };
    }

    static Check pass(String id, String title, String detail) {
        return new Check(id, title, Status.PASS, detail, null, ExitCode.OK);
    }

    static Check warn(String id, String title, String detail, String fix) {
        return new Check(id, title, Status.WARN, detail, fix, ExitCode.OK);
    }

    static Check fail(String id, String title, String detail, String fix, int exitCode) {
        return new Check(id, title, Status.FAIL, detail, fix, exitCode);
    }

    static Check skip(String id, String title, String detail) {
        return new Check(id, title, Status.SKIP, detail, null, ExitCode.OK);
    }
}
