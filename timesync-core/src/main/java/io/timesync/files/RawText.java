package io.timesync.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The text of a configuration file TimeSync edits, kept byte for byte: UTF-8, except that each byte
 * that is not part of valid UTF-8 (a Latin-1 comment, a stray byte the service accepts) becomes the
 * lone surrogate {@code U+DC00 + byte}, which valid UTF-8 never yields, and {@link #bytes} turns it
 * back into that byte. So reading never fails, UTF-8 text shows as itself (in a plan, a dry run), and
 * writing back what was read gives the same bytes. Text without such escapes is written as UTF-8.
 */
public final class RawText {

    // Escapes stand for bytes: U+DC00 + the byte (Python's "surrogateescape").
    private static final char ESCAPE = '\uDC00';

    private RawText() {
    }

    /** The file's content, or null when it does not exist. */
    public static String read(Path file) throws IOException {
        try {
            return decode(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** {@code bytes} as text: UTF-8, each byte that is not valid UTF-8 escaped. */
    public static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // One char at most per byte: a 4-byte sequence gives two.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) {
                break;
            }
            if (!result.isError()) {
                throw new IllegalStateException("UTF-8 decoding overflowed: " + result);
            }
            for (int i = 0; i < result.length(); i++) {
                out.put((char) (ESCAPE + (in.get() & 0xFF)));
            }
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** The bytes of {@code text}: UTF-8, each escape its byte again. */
    public static byte[] bytes(String text) {
        ByteArrayOutputStream out = null;
        int plain = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (c >= ESCAPE && c <= ESCAPE + 0xFF) {
                if (out == null) {
                    out = new ByteArrayOutputStream(text.length() + 16);
                }
                out.writeBytes(utf8(text.substring(plain, i)));
                out.write(c - ESCAPE);
                plain = i + 1;
            }
        }
        if (out == null) {
            return utf8(text);
        }
        out.writeBytes(utf8(text.substring(plain)));
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
