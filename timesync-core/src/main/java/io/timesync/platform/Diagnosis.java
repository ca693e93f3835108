package io.timesync.platform;

import java.util.Objects;

/**
 * One finding about the time service, for {@code timesync doctor}: what was checked, how it went, and the fix.
 *
 * @param id     a stable key for scripts, e.g. {@code time-service}
 * @param title  what was checked, for people
 * @param status how it went; a failure means no time service is usable
 * @param detail what was found
 * @param fix    what to do about it; null when nothing needs doing
 */
public record Diagnosis(String id, String title, Status status, String detail, String fix) {

    /** How a check went. */
    public enum Status { PASS, WARN, FAIL }

    public Diagnosis {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    public static Diagnosis pass(String id, String title, String detail) {
        return new Diagnosis(id, title, Status.PASS, detail, null);
    }

    public static Diagnosis warn(String id, String title, String detail, String fix) {
        return new Diagnosis(id, title, Status.WARN, detail, fix);
    }

    public static Diagnosis fail(String id, String title, String detail, String fix) {
        return new Diagnosis(id, title, Status.FAIL, detail, fix);
    }
}
