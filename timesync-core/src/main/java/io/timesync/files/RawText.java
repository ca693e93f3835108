package io.timesync.files;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The text of a configuration file TimeSync edits, one char per byte (ISO-8859-1): whatever the file
 * holds (UTF-8, Latin-1, a stray byte its service accepts), reading never fails and writing back
 * gives the same bytes. What TimeSync adds is ASCII, which every such file shares.
 */
public final class RawText {

    /** The charset that maps each byte to one char and back. */
    public static final Charset CHARSET = StandardCharsets.ISO_8859_1;

    private RawText() {
    }

    /** The file's content, or null when it does not exist. */
    public static String read(Path file) throws IOException {
        try {
            return new String(Files.readAllBytes(file), CHARSET);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The bytes of {@code text}, as {@link #read} got them. */
    public static byte[] bytes(String text) {
        return text.getBytes(CHARSET);
    }
}
