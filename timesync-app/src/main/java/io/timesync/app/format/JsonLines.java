package io.timesync.app.format;

import io.timesync.text.SmallJson;

import java.util.Map;

/** The one way a JSON-lines file (the telemetry's {@code status.jsonl}, a webhook's body) gets its documents. */
public final class JsonLines {

    private JsonLines() {
    }

    /**
     * {@code document} as JSON on one line: its values strings, whole numbers, booleans, nulls and
     * lists or maps of them.
     */
    public static String line(Map<String, ?> document) {
        return SmallJson.write(document);
    }
}
