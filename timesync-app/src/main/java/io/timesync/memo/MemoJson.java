package io.timesync.memo;

import io.timesync.memo.ServerRecord.HistoryEntry;
import io.timesync.text.SmallJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memo as {@code memo.json} holds it: every field of {@link Memo} and its records by name, in
 * their declared order, nulls written out, indented; keys it does not know are skipped and absent
 * ones read as null (zero or false for a number or flag the records cannot leave out), so older
 * and newer files of the same format version read.
 */
final class MemoJson {

    private MemoJson() {
    }

    /** {@code memo} as the text of {@code memo.json}. */
    static String write(Memo memo) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", memo.version());
        doc.put("lastSkewNanos", memo.lastSkewNanos());
        doc.put("lastSkewAtUnixNanos", memo.lastSkewAtUnixNanos());
        doc.put("lastCorrectionNanos", memo.lastCorrectionNanos());
        doc.put("lastCorrectionAtUnixNanos", memo.lastCorrectionAtUnixNanos());
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("servers", memo.selection().servers());
        selection.put("challenger", memo.selection().challenger());
        selection.put("challengerStreak", memo.selection().challengerStreak());
        doc.put("selection", selection);
        // Sorted, so that the same memo is always the same file.
        Map<String, Object> servers = new TreeMap<>();
        memo.servers().forEach((key, record) -> servers.put(key, server(record)));
        doc.put("servers", servers);
        DecisionRecord d = memo.lastDecision();
        if (d == null) {
            doc.put("lastDecision", null);
        } else {
            Map<String, Object> decision = new LinkedHashMap<>();
            decision.put("action", d.action());
            decision.put("skewNanos", d.skewNanos());
            decision.put("atUnixNanos", d.atUnixNanos());
            decision.put("reason", d.reason());
            doc.put("lastDecision", decision);
        }
        return SmallJson.writeIndented(doc);
    }

    private static Map<String, Object> server(ServerRecord r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("runReach", r.runReach());
        doc.put("runs", r.runs());
        doc.put("consecutiveFailures", r.consecutiveFailures());
        doc.put("strikes", r.strikes());
        doc.put("blacklistedUntilUnixNanos", r.blacklistedUntilUnixNanos());
        doc.put("blacklistReason", r.blacklistReason());
        List<Object> history = new ArrayList<>();
        for (HistoryEntry h : r.history()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("atUnixNanos", h.atUnixNanos());
            entry.put("offsetNanos", h.offsetNanos());
            entry.put("delayNanos", h.delayNanos());
            entry.put("jitterNanos", h.jitterNanos());
            entry.put("stratum", h.stratum());
            // JSON has no NaN or infinity: written as their names in a string, as Jackson writes them.
            Double score = h.score();
            entry.put("score", score == null || Double.isFinite(score) ? score : score.toString());
            entry.put("verdict", h.verdict());
            entry.put("authenticated", h.authenticated());
            history.add(entry);
        }
        doc.put("history", history);
        return doc;
    }

    /**
     * The memo in {@code text}.
     *
     * @throws IllegalArgumentException saying where and what is wrong: the line and column of a
     *     syntax error, the key of a value of the wrong kind or one the records refuse
     */
    static Memo read(String text) {
        Map<String, Object> doc = SmallJson.parseObject(text);
        Map<String, Object> selection = object(doc, "selection", "selection");
        if (selection == null) {
            throw new IllegalArgumentException("no selection: not a memo");
        }
        Map<String, Object> servers = object(doc, "servers", "servers");
        Map<String, ServerRecord> records = new LinkedHashMap<>();
        if (servers != null) {
            for (String key : servers.keySet()) {
                records.put(key, server(object(servers, key, "servers." + key), "servers." + key));
            }
        }
        Map<String, Object> d = object(doc, "lastDecision", "lastDecision");
        DecisionRecord decision = d == null ? null : refused("lastDecision", () -> new DecisionRecord(
                string(d, "action", "lastDecision"), whole(d, "skewNanos", "lastDecision"),
                whole(d, "atUnixNanos", "lastDecision"), string(d, "reason", "lastDecision")));
        Selection chosen = refused("selection", () -> new Selection(strings(selection, "servers", "selection"),
                string(selection, "challenger", "selection"), (int) whole(selection, "challengerStreak", "selection")));
        return refused("", () -> new Memo((int) whole(doc, "version", ""), longOrNull(doc, "lastSkewNanos", ""),
                longOrNull(doc, "lastSkewAtUnixNanos", ""), longOrNull(doc, "lastCorrectionNanos", ""),
                longOrNull(doc, "lastCorrectionAtUnixNanos", ""), chosen, records, decision));
    }

    private static ServerRecord server(Map<String, Object> doc, String at) {
        if (doc == null) {
            throw new IllegalArgumentException("expected an object (at " + at + ")");
        }
        List<HistoryEntry> history = new ArrayList<>();
        Object entries = doc.get("history");
        if (entries != null && !(entries instanceof List)) {
            throw new IllegalArgumentException("expected a list (at " + at + ".history)");
        }
        if (entries != null) {
            List<?> list = (List<?>) entries;
            for (int i = 0; i < list.size(); i++) {
                String here = at + ".history[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> e)) {
                    throw new IllegalArgumentException("expected an object (at " + here + ")");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> h = (Map<String, Object>) e;
                Long stratum = longOrNull(h, "stratum", here);
                history.add(new HistoryEntry(whole(h, "atUnixNanos", here), longOrNull(h, "offsetNanos", here),
                        longOrNull(h, "delayNanos", here), longOrNull(h, "jitterNanos", here),
                        stratum == null ? null : (int) range(stratum, here + ".stratum"), score(h, here),
                        string(h, "verdict", here), flag(h, "authenticated", here)));
            }
        } else {
            history = null;
        }
        List<HistoryEntry> all = history;
        return refused(at, () -> new ServerRecord((int) whole(doc, "runReach", at), (int) whole(doc, "runs", at),
                (int) whole(doc, "consecutiveFailures", at), (int) whole(doc, "strikes", at),
                longOrNull(doc, "blacklistedUntilUnixNanos", at), string(doc, "blacklistReason", at), all));
    }

    /** Runs a record's constructor, its refusal (a null it needs, a negative count) named by key. */
    private static <T> T refused(String at, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (NullPointerException | IllegalArgumentException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().contains("(at ")) {
                throw e;
            }
            String why = e.getMessage() == null ? "a value is missing" : e.getMessage();
            throw new IllegalArgumentException("a value that cannot be used here" + (at.isEmpty() ? "" : " (at " + at + ")")
                    + ": " + why, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> doc, String key, String at) {
        Object value = doc.get(key);
        if (value != null && !(value instanceof Map)) {
            throw new IllegalArgumentException("expected an object (at " + at + ")");
        }
        return (Map<String, Object>) value;
    }

    private static List<String> strings(Map<String, Object> doc, String key, String at) {
        Object value = doc.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("expected a list (at " + path(at, key) + ")");
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw new IllegalArgumentException("expected a string (at " + path(at, key) + "[" + i + "])");
            }
            strings.add(s);
        }
        return strings;
    }

    private static String string(Map<String, Object> doc, String key, String at) {
        Object value = doc.get(key);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("expected a string (at " + path(at, key) + ")");
        }
        return (String) value;
    }

    private static Long longOrNull(Map<String, Object> doc, String key, String at) {
        Object value = doc.get(key);
        if (value != null && !(value instanceof Long)) {
            throw new IllegalArgumentException("expected a whole number (at " + path(at, key) + ")");
        }
        return (Long) value;
    }

    private static long whole(Map<String, Object> doc, String key, String at) {
        Long value = longOrNull(doc, key, at);
        return value == null ? 0 : value;
    }

    private static long range(long value, String at) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(value + " is out of range (at " + at + ")");
        }
        return value;
    }

    private static boolean flag(Map<String, Object> doc, String key, String at) {
        Object value = doc.get(key);
        if (value != null && !(value instanceof Boolean)) {
            throw new IllegalArgumentException("expected true or false (at " + path(at, key) + ")");
        }
        return Boolean.TRUE.equals(value);
    }

    private static Double score(Map<String, Object> doc, String at) {
        Object value = doc.get("score");
        if (value == null) {
            return null;
        }
        if (value instanceof Long l) {
            return l.doubleValue();
        }
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s && (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity"))) {
            return Double.valueOf(s);
        }
        throw new IllegalArgumentException("expected a number (at " + path(at, "score") + ")");
    }

    private static String path(String at, String key) {
        return at.isEmpty() ? key : at + "." + key;
    }
}
