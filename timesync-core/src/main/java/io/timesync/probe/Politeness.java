package io.timesync.probe;

import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The NTP pool's rules for clients (pool.ntp.org "use" and "vendors" pages): at most 4 requests per
 * server per run, at least 2 s apart. Other servers may be the user's own and are probed as asked.
 */
public final class Politeness {

    /** Most requests per pool server per run. */
    public static final int MAX_POOL_SAMPLES = 4;
    /** Least time between two requests to a pool server. */
    public static final Duration MIN_POOL_SPACING = Duration.ofSeconds(2);

    private Politeness() {
    }

    /** Whether the name belongs to the NTP pool. */
    public static boolean isPool(ServerAddress server) {
        String host = server.host().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.equals("pool.ntp.org") || host.endsWith(".pool.ntp.org");
    }

    /** The options to use for {@code servers}: clamped to the pool's rules when any of them is a pool name. */
    public static ProbeOptions forServers(List<ServerAddress> servers, ProbeOptions options) {
        if (servers.stream().noneMatch(Politeness::isPool)) {
            return options;
        }
        ProbeOptions polite = options;
        if (polite.samples() > MAX_POOL_SAMPLES) {
            polite = polite.withSamples(MAX_POOL_SAMPLES);
        }
        if (polite.spacing().compareTo(MIN_POOL_SPACING) < 0) {
            polite = polite.withSpacing(MIN_POOL_SPACING);
        }
        return polite;
    }
}
