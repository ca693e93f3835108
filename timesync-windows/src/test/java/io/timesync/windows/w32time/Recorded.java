package io.timesync.windows.w32time;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The recorded outputs in src/test/resources/w32time (their sources are in the README there). */
public final class Recorded {

    private Recorded() {
    }

    /** The recording {@code name}, as stored (LF line ends). */
    public static String read(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream("/w32time/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded output " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As Windows writes it: CRLF line ends. */
    public static String crlf(String name) {
        return read(name).replace("\n", "\r\n");
    }
}
