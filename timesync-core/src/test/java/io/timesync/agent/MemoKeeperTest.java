package io.timesync.agent;

import io.timesync.memo.Memo;
import io.timesync.memo.MemoException;
import io.timesync.memo.MemoStore;
import io.timesync.memo.Selection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class MemoKeeperTest {

    /** A store in memory whose writes fail while {@code failing} is set. */
    static final class Store implements MemoStore {
        Memo memo = Memo.EMPTY;
        String failing;
        int writes;

        @Override
        public Memo load() {
            return memo;
        }

        @Override
        public Memo update(UnaryOperator<Memo> change) throws MemoException {
            if (failing != null) {
                throw new MemoException(failing, null);
            }
            writes++;
            memo = change.apply(memo);
            return memo;
        }
    }

    static UnaryOperator<Memo> select(String key) {
        return m -> m.withSelection(new Selection(List.of(key), null, 0));
    }

    Store store = new Store();

    @Test
    void aWrittenMemoIsReadFromTheStore() throws Exception {
        MemoKeeper keeper = new MemoKeeper(store, false);

        assertThat(keeper.record(select("a:123"), keeper.current())).isNull();

        assertThat(store.memo.selection().servers()).containsExactly("a:123");
        store.memo = Memo.EMPTY;
        assertThat(keeper.current()).isEqualTo(Memo.EMPTY);
    }

    @Test
    void aMemoThatCannotBeWrittenIsHeldUntilItCanAndThenWritten() throws Exception {
        MemoKeeper keeper = new MemoKeeper(store, false);
        store.failing = "cannot lock";

        assertThat(keeper.record(select("a:123"), keeper.current())).isEqualTo("cannot lock");
        // The file's older memo is not what the agent goes on from.
        store.memo = Memo.EMPTY.withSelection(new Selection(List.of("old:123"), null, 0));
        assertThat(keeper.current().selection().servers()).containsExactly("a:123");

        store.failing = null;
        assertThat(keeper.record(m -> m, keeper.current())).isNull();
        assertThat(store.memo.selection().servers()).containsExactly("a:123");
        store.memo = Memo.EMPTY;
        assertThat(keeper.current()).isEqualTo(Memo.EMPTY);
    }

    @Test
    void aDryRunNeverWritesAndKeepsWhatItRecorded() throws Exception {
        MemoKeeper keeper = new MemoKeeper(store, true);

        assertThat(keeper.record(select("a:123"), keeper.current())).isNull();

        assertThat(store.writes).isZero();
        assertThat(keeper.current().selection().servers()).containsExactly("a:123");
    }
}
