package io.timesync.memo;

/** The memo could not be read or written (permissions, disk full, lock held); the message names the file. */
public final class MemoException extends Exception {

    /**
     * @param message what failed and on which file
     * @param cause   the underlying failure, or null
     */
    public MemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
