package io.timesync.memo;

import java.util.function.UnaryOperator;

/**
 * Remembers between runs what TimeSync measured and decided, so it never corrects needlessly: the
 * last skew, the current selection with its hysteresis state, per-server history and the blacklist.
 *
 * <p>Implementations write atomically (a crash leaves the old or the new memo, never half of one),
 * hold a file lock against a second agent while they update, and survive a corrupt file by keeping
 * it aside and starting from {@link Memo#EMPTY}. The OS modules supply the default locations.
 */
public interface MemoStore {

    /** The stored memo, or {@link Memo#EMPTY} when there is none (or it was unreadable and set aside). */
    Memo load() throws MemoException;

    /**
     * Reads, changes and writes the memo under the lock, so concurrent agents cannot lose updates.
     *
     * @return the memo as written
     */
    Memo update(UnaryOperator<Memo> change) throws MemoException;
}
