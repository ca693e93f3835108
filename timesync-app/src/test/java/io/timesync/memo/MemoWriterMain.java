package io.timesync.memo;


import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A writer to kill: writes a memo of several megabytes through {@link JsonMemoStore} into the
 * directory {@code args[0]} again and again until killed, and prints {@code ready} after the first.
 */
public final class MemoWriterMain {

    private MemoWriterMain() {
    }

    /** Runs until killed. */
    public static void main(String[] args) throws Exception {
        JsonMemoStore store = new JsonMemoStore(Path.of(args[0]));
        Memo large = large(64, 500);
        store.update(m -> large);
        System.out.println("ready");
        System.out.flush();
        for (long i = 0; ; i++) {
            long n = i;
            store.update(m -> new Memo(Memo.CURRENT_VERSION, n, n, null, null, large.selection(), large.servers()));
        }
    }

    /** A memo of {@code servers} servers with {@code entries} history entries each. */
    static Memo large(int servers, int entries) {
        Map<String, ServerRecord> records = new HashMap<>();
        for (int s = 0; s < servers; s++) {
            List<ServerRecord.HistoryEntry> history = new ArrayList<>(entries);
            for (int e = 0; e < entries; e++) {
                history.add(new ServerRecord.HistoryEntry(1_795_300_000_000_000_000L + e, 12_345L + e, 2_000_000L, 50_000L, 2,
                        87.5, "selected", e % 2 == 0));
            }
            records.put("10.0." + (s / 250) + "." + (s % 250) + ":123", new ServerRecord(0xFF, entries, 0, 0, null, null, history));
        }
        return new Memo(Memo.CURRENT_VERSION, 1L, 1L, null, null, new Selection(List.of("10.0.0.0:123"), null, 0), records);
    }
}
