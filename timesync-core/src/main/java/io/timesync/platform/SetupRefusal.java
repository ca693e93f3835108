package io.timesync.platform;

import java.util.Objects;

/** Setup cannot be planned as asked: the message says why and what to do, the kind what the caller reports. */
public final class SetupRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why setup cannot go on. */
    public enum Kind {
        /** The request itself is wrong (an unknown service, an install into another root): change the arguments. */
        BAD_REQUEST,
        /** A path of the system leads outside its root: the system's files or {@code --root} must change. */
        OUTSIDE_ROOT,
        /** What identifies the system (os-release) cannot be read. */
        UNREADABLE,
        /** The service cannot be put in place here (no package manager, not packaged, no init system). */
        UNAVAILABLE
    }

    private final Kind kind;

    public SetupRefusal(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
