package io.timesync.windows.service;

import java.util.List;

/**
 * Windows command lines for the places that store one as a single string (a scheduled task's
 * {@code /tr}, NSSM's {@code AppParameters}): each argument quoted by the rules the C runtime and
 * CommandLineToArgvW use to split it again, so a path with spaces stays one argument. There is no
 * shell here: cmd.exe never parses these strings, so only quotes and backslashes need care.
 */
public final class WindowsCommandLine {

    private WindowsCommandLine() {
    }

    /**
     * One argument as it must appear in a command line: unchanged when it has no space, tab or quote;
     * otherwise in quotes, with each quote escaped and the backslashes before a quote (or before the
     * closing quote) doubled.
     *
     * @throws IllegalArgumentException for an empty argument or one with a line break or NUL, which no
     *                                  command line can carry
     */
    public static String quote(String arg) {
        if (arg.isEmpty() || arg.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
            throw new IllegalArgumentException("'" + arg.replaceAll("[\\r\\n\\x00]", "?") + "' cannot be an argument of a"
                    + " Windows command line");
        }
        if (arg.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"')) {
            return arg;
        }
        StringBuilder quoted = new StringBuilder("\"");
        int backslashes = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                backslashes++;
                continue;
            }
            if (c == '"') {
                quoted.append("\\".repeat(2 * backslashes + 1));
            } else {
                quoted.append("\\".repeat(backslashes));
            }
            backslashes = 0;
            quoted.append(c);
        }
        return quoted.append("\\".repeat(2 * backslashes)).append('"').toString();
    }

    /** The command line of {@code argv}: each argument quoted as needed, separated by one space. */
    public static String join(List<String> argv) {
        StringBuilder line = new StringBuilder();
        for (String arg : argv) {
            line.append(line.length() == 0 ? "" : " ").append(quote(arg));
        }
        return line.toString();
    }
}
