package io.timesync.unix.host;

import java.io.IOException;

/** A path of the target system leads outside {@code --root}: the run refuses it, naming the path and what to do. */
public final class OutsideRootException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message the path, where it comes from, where it leads and what to do */
    public OutsideRootException(String message) {
        super(message);
    }
}
