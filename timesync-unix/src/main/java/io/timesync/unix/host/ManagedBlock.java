package io.timesync.unix.host;

import java.util.Optional;

/**
 * TimeSync's block in a configuration file it shares with the user (ntpd's ntp.conf, an older
 * chrony's chrony.conf), between two marker lines. Everything outside the markers is the user's and
 * is kept byte for byte; the block is replaced where it is, or appended at the end.
 */
public final class ManagedBlock {

    /** The first line of the block. */
    public static final String BEGIN = "# BEGIN TimeSync managed block: 'timesync sync' rewrites the lines up to END; edit outside it.";
    /** The last line of the block. */
    public static final String END = "# END TimeSync managed block";

    private ManagedBlock() {
    }

    /** The block holding {@code lines} (each ending in a newline). */
    public static String wrap(String lines) {
        return BEGIN + '\n' + lines + END + '\n';
    }

    /**
     * {@code conf} with its block replaced by {@code block}, or with {@code block} appended.
     *
     * @param fileName the file's name, for the message when its markers are broken
     * @throws IllegalArgumentException when the markers are unbalanced (a hand edit broke them)
     */
    public static String apply(String conf, String block, String fileName) {
        int[] span = span(conf, fileName);
        if (span == null) {
            String separator = conf.isEmpty() || conf.endsWith("\n") ? "" : "\n";
            return conf + separator + block;
        }
        return conf.substring(0, span[0]) + block + conf.substring(span[1]);
    }

    /**
     * The lines inside the block of {@code conf} (without the markers), or empty when it has none.
     *
     * @throws IllegalArgumentException when the markers are unbalanced
     */
    public static Optional<String> lines(String conf, String fileName) {
        int[] span = span(conf, fileName);
        if (span == null) {
            return Optional.empty();
        }
        int first = conf.indexOf('\n', span[0]);
        int end = lineStart(conf, END);
        return Optional.of(first < 0 || first + 1 > end ? "" : conf.substring(first + 1, end));
    }

    /** {@code conf} without its block: the user's lines only. */
    public static String outside(String conf, String fileName) {
        int[] span = span(conf, fileName);
        return span == null ? conf : conf.substring(0, span[0]) + conf.substring(span[1]);
    }

    /**
     * The file with the block it had in {@code previous} and everything else as it is now: what a
     * rollback of the change from {@code previous} to {@code written} writes when the file is now
     * {@code current}. Unchanged since, the file becomes {@code previous} byte for byte; otherwise
     * only the block is put back (or removed, with the line break appending it added), so the user's
     * lines, including those added since, stay as they are.
     *
     * @param previous what the change replaced
     * @param written  what it wrote (null: unknown)
     * @param current  the file now
     * @throws IllegalArgumentException when the markers of one of them are unbalanced
     */
    public static String rollback(String previous, String written, String current, String fileName) {
        if (current.equals(written)) {
            return previous;
        }
        String before = previous == null ? "" : previous;
        int[] old = span(before, fileName);
        int[] now = span(current, fileName);
        if (old != null) {
            return apply(current, before.substring(old[0], old[1]), fileName);
        }
        if (now == null) {
            return current;
        }
        int start = now[0];
        // apply() put a line break before a block it appended to a file that did not end with one.
        boolean separatorAdded = !before.isEmpty() && !before.endsWith("\n");
        if (separatorAdded && now[1] == current.length() && start > 0 && current.charAt(start - 1) == '\n') {
            start--;
        }
        return current.substring(0, start) + current.substring(now[1]);
    }

    // [start of BEGIN, just after END's line], or null when there is no block.
    private static int[] span(String conf, String fileName) {
        int begin = lineStart(conf, BEGIN);
        int end = lineStart(conf, END);
        if (begin < 0 && end < 0) {
            return null;
        }
        if (begin < 0 || end < 0 || end < begin || lineStart(conf.substring(begin + 1), BEGIN) >= 0) {
            throw new IllegalArgumentException(fileName + " has an incomplete or repeated TimeSync block; remove the lines from '"
                    + BEGIN + "' to '" + END + "' and run again");
        }
        int afterEnd = conf.indexOf('\n', end);
        return new int[] {begin, afterEnd < 0 ? conf.length() : afterEnd + 1};
    }

    private static int lineStart(String text, String line) {
        int from = 0;
        while (true) {
            int at = text.indexOf(line, from);
            if (at < 0) {
                return -1;
            }
            boolean startsLine = at == 0 || text.charAt(at - 1) == '\n';
            int after = at + line.length();
            boolean endsLine = after == text.length() || text.charAt(after) == '\n' || text.charAt(after) == '\r';
            if (startsLine && endsLine) {
                return at;
            }
            from = at + 1;
        }
    }
}
