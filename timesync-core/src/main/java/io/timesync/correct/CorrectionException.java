package io.timesync.correct;

/** A correction failed; the message says which step failed and whether the rollback restored the previous state. */
public final class CorrectionException extends Exception {

    private final boolean rolledBack;

    /**
     * @param message    what failed, for people
     * @param rolledBack whether the previous state was restored
     * @param cause      the underlying failure, or null
     */
    public CorrectionException(String message, boolean rolledBack, Throwable cause) {
        super(message, cause);
        this.rolledBack = rolledBack;
    }

    /** Whether the previous state was restored. */
    public boolean rolledBack() {
        return rolledBack;
    }
}
