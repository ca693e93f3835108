package io.timesync.cli;

import io.timesync.text.Printable;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The terminal's side of {@link Printable}: everything a command prints goes through it, so a control
 * character that came from outside (a server's reply, a certificate, a file) and was not escaped
 * where it entered is escaped here; only the line separator passes. Text is written through at once,
 * nothing is buffered.
 */
final class EscapingWriter extends Writer {

    private static final String LINE_SEPARATOR = System.lineSeparator();

    private final Writer out;

    private EscapingWriter(Writer out) {
        super(out);
        this.out = out;
    }

    /** {@code out}, escaping. */
    static PrintWriter of(PrintWriter out) {
        return new PrintWriter(new EscapingWriter(out));
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = buffer[i];
            if (Printable.control(c) && LINE_SEPARATOR.indexOf(c) < 0) {
                out.write(buffer, start, i - start);
                out.write(Printable.of(String.valueOf(c)));
                start = i + 1;
            }
        }
        out.write(buffer, start, end - start);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
