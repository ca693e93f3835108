package io.timesync.app.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one way a JSON-lines file (the telemetry's {@code status.jsonl}, a webhook's body) gets its documents. */
public final class JsonLines {

    private static final ObjectMapper LINES = new ObjectMapper();

    private JsonLines() {
    }

    /** {@code document} as JSON on one line. */
    public static String line(Object document) {
        try {
            return LINES.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
