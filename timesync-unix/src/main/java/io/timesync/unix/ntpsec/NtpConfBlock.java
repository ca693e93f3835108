package io.timesync.unix.ntpsec;

import io.timesync.api.ServerAddress;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * TimeSync's block in ntp.conf, between two marker lines. Everything outside the markers is the
 * user's and is kept byte for byte; the block is replaced where it is, or appended at the end.
 */
public final class NtpConfBlock {

    /** The first line of the block. */
    public static final String BEGIN = "# BEGIN TimeSync managed block: 'timesync sync' rewrites the lines up to END; edit outside it.";
    /** The last line of the block. */
    public static final String END = "# END TimeSync managed block";

    private NtpConfBlock() {
    }

    /**
     * The block for the selected servers ({@code address:port} keys). ntpd talks to port 123 only,
     * so servers on other ports are left out with a comment; each name is validated again.
     *
     * @throws IllegalArgumentException for a key that is not a valid server
     */
    public static String block(List<String> servers) {
        StringBuilder text = new StringBuilder(BEGIN).append('\n');
        Set<String> hosts = new LinkedHashSet<>();
        for (String key : servers) {
            ServerAddress server = ServerAddress.parse(key, ServerAddress.NTP_PORT);
            if (server.port() != ServerAddress.NTP_PORT) {
                text.append("# ").append(server).append(" left out: ntpd talks to port 123 only\n");
            } else if (hosts.add(server.host())) {
                text.append("server ").append(server.host()).append(" iburst\n");
            }
        }
        return text.append(END).append('\n').toString();
    }

    /**
     * {@code conf} with its block replaced by {@code block}, or with {@code block} appended.
     *
     * @throws IllegalArgumentException when the markers are unbalanced (a hand edit broke them)
     */
    public static String apply(String conf, String block) {
        int begin = lineStart(conf, BEGIN);
        int end = lineStart(conf, END);
        if (begin < 0 && end < 0) {
            String separator = conf.isEmpty() || conf.endsWith("\n") ? "" : "\n";
            return conf + separator + block;
        }
        if (begin < 0 || end < 0 || end < begin || lineStart(conf.substring(begin + 1), BEGIN) >= 0) {
            throw new IllegalArgumentException("ntp.conf has an incomplete or repeated TimeSync block; remove the lines from '"
                    + BEGIN + "' to '" + END + "' and run again");
        }
        int afterEnd = conf.indexOf('\n', end);
        afterEnd = afterEnd < 0 ? conf.length() : afterEnd + 1;
        return conf.substring(0, begin) + block + conf.substring(afterEnd);
    }

    /** The hosts named in a block ({@code server} lines), for verification. */
    public static Set<String> hosts(String block) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String line : block.split("\n")) {
            if (line.startsWith("server ")) {
                hosts.add(line.split(" ")[1]);
            }
        }
        return hosts;
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
