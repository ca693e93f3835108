package io.timesync.memo;


import java.util.Map;
import java.util.Objects;

/**
 * What TimeSync remembers between runs. Versioned, so a newer agent can read an older file.
 *
 * @param version             the format version ({@link #CURRENT_VERSION} when written by this code)
 * @param lastSkewNanos       the last measured skew (reference − local), or null before the first measurement
 * @param lastSkewAtUnixNanos when it was measured, or null
 * @param lastCorrectionNanos the skew the last correction removed, or null when none was made
 * @param lastCorrectionAtUnixNanos when it was made, or null
 * @param selection           the current selection and its hysteresis state
 * @param servers             per candidate ({@code address:port}, or {@code name:port} when it did not
 *                            resolve): reachability across runs, failures, blacklist and history
 * @param lastDecision        what the last cycle that measured a skew decided, or null (older files too)
 */
public record Memo(int version, Long lastSkewNanos, Long lastSkewAtUnixNanos, Long lastCorrectionNanos,
                   Long lastCorrectionAtUnixNanos, Selection selection, Map<String, ServerRecord> servers,
                   DecisionRecord lastDecision) {

    /** The format this code writes (a file without {@code lastDecision} is still this format). */
    public static final int CURRENT_VERSION = 1;

    /** Nothing remembered. */
    public static final Memo EMPTY = new Memo(CURRENT_VERSION, null, null, null, null, Selection.NONE, Map.of(), null);

    /** Copies the map so the record is immutable. */
    public Memo {
        Objects.requireNonNull(selection, "selection");
        servers = Map.copyOf(servers);
    }

    /** A memo without a recorded decision. */
    public Memo(int version, Long lastSkewNanos, Long lastSkewAtUnixNanos, Long lastCorrectionNanos,
                Long lastCorrectionAtUnixNanos, Selection selection, Map<String, ServerRecord> servers) {
        this(version, lastSkewNanos, lastSkewAtUnixNanos, lastCorrectionNanos, lastCorrectionAtUnixNanos, selection, servers, null);
    }

    /** The record of one server, or an empty one. */
    public ServerRecord server(String key) {
        return servers.getOrDefault(key, ServerRecord.NEW);
    }

    /** A copy with another selection. */
    public Memo withSelection(Selection value) {
        return new Memo(version, lastSkewNanos, lastSkewAtUnixNanos, lastCorrectionNanos, lastCorrectionAtUnixNanos, value, servers, lastDecision);
    }

    /** A copy with other server records. */
    public Memo withServers(Map<String, ServerRecord> value) {
        return new Memo(version, lastSkewNanos, lastSkewAtUnixNanos, lastCorrectionNanos, lastCorrectionAtUnixNanos, selection, value, lastDecision);
    }
}
