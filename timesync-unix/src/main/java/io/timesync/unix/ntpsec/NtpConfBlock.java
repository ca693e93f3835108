package io.timesync.unix.ntpsec;

import io.timesync.time.ServerAddress;
import io.timesync.unix.host.ManagedBlock;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * TimeSync's block in ntp.conf (a {@link ManagedBlock}): one {@code server} line per selected server
 * on port 123.
 */
public final class NtpConfBlock {

    private NtpConfBlock() {
    }

    /**
     * The block for the selected servers ({@code address:port} keys). ntpd talks to port 123 only,
     * so servers on other ports are left out with a comment; each name is validated again.
     *
     * @throws IllegalArgumentException for a key that is not a valid server
     */
    public static String block(List<String> servers) {
        StringBuilder text = new StringBuilder();
        Set<String> hosts = new LinkedHashSet<>();
        for (String key : servers) {
            ServerAddress server = ServerAddress.parse(key, ServerAddress.NTP_PORT);
            if (server.port() != ServerAddress.NTP_PORT) {
                text.append("# ").append(server).append(" left out: ntpd talks to port 123 only\n");
            } else if (hosts.add(server.host())) {
                text.append("server ").append(server.host()).append(" iburst\n");
            }
        }
        return ManagedBlock.wrap(text.toString());
    }

    /**
     * {@code conf} with its block replaced by {@code block}, or with {@code block} appended.
     *
     * @throws IllegalArgumentException when the markers are unbalanced (a hand edit broke them)
     */
    public static String apply(String conf, String block) {
        return ManagedBlock.apply(conf, block, "ntp.conf");
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
}
