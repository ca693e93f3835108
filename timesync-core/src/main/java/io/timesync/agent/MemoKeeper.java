package io.timesync.agent;

import io.timesync.memo.Memo;
import io.timesync.memo.MemoException;
import io.timesync.memo.MemoStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The agent's memo, read from and written to the {@link MemoStore}, or held in memory instead: always
 * in a dry run (nothing is written), and otherwise while the store cannot be written, so the agent
 * goes on from what it decided (the servers it configured), not from the file's older memo. The memo
 * held in memory is the truth: it is what the next change applies to, and what is written once
 * writing works again. Not thread-safe: one cycle at a time uses it.
 */
final class MemoKeeper {

    private static final Logger log = LoggerFactory.getLogger(MemoKeeper.class);

    private final MemoStore store;
    private final boolean dryRun;
    // Null when the store is the truth.
    private Memo held;
    // Why the memo could not be written, while it cannot: reported once when it starts, once when it ends.
    private String unwritten;

    /**
     * @param store  the memo's store
     * @param dryRun whether the memo is only ever kept in memory
     */
    MemoKeeper(MemoStore store, boolean dryRun) {
        this.store = Objects.requireNonNull(store, "store");
        this.dryRun = dryRun;
    }

    /** The memo: the one held in memory, or the store's. */
    Memo current() throws MemoException {
        if (held != null) {
            return held;
        }
        Memo loaded = store.load();
        if (dryRun) {
            held = loaded;
        }
        return loaded;
    }

    /**
     * Folds the change into the memo; returns why it could not be written, or null.
     *
     * @param change          the change
     * @param measuredAgainst the memo the change was decided on: what is changed and held when the
     *                        store cannot be written and nothing is held yet
     */
    String record(UnaryOperator<Memo> change, Memo measuredAgainst) {
        if (dryRun) {
            held = change.apply(held);
            return null;
        }
        Memo base = held;
        try {
            store.update(base == null ? change : m -> change.apply(base));
            held = null;
            if (unwritten != null) {
                log.info("the memo is written again (it could not be: {})", unwritten);
                unwritten = null;
            }
            return null;
        } catch (MemoException e) {
            held = change.apply(base != null ? base : measuredAgainst);
            String why = e.getMessage();
            if (!Objects.equals(why, unwritten)) {
                log.warn("cannot write the memo, keeping it in memory until it can be written: {}", why);
            }
            unwritten = why;
            return why;
        }
    }
}
