package io.timesync.cli;

import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.probe.Politeness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/** The probing options shared by {@code probe} and {@code optimize}; unset ones fall back to a configuration or the defaults. */
final class ProbeOptionsMixin {

    private static final Logger log = LoggerFactory.getLogger(ProbeOptionsMixin.class);

    @Option(names = "--samples", paramLabel = "N",
            description = "Requests per address, 1-64 (default: 4; public pools allow at most 4 per run).")
    Integer samples;

    @Option(names = "--spacing", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time between requests to one address (default: 2s; pool.ntp.org servers are never asked faster than every 2s).")
    Duration spacing;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for each reply (default: 1s).")
    Duration timeout;

    @Option(names = "--concurrency", paramLabel = "N", description = "Addresses probed at once, 1-1024 (default: 256).")
    Integer concurrency;

    /**
     * The options given, over {@code base} (a configuration's, or the defaults), within the pool's
     * politeness rules when any of {@code servers} is a pool name (with a warning when that changes them).
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    ProbeOptions over(ProbeOptions base, List<ServerAddress> servers) {
        ProbeOptions asked = new ProbeOptions(samples != null ? samples : base.samples(),
                spacing != null ? spacing : base.spacing(), timeout != null ? timeout : base.timeout(),
                concurrency != null ? concurrency : base.concurrency());
        ProbeOptions polite = Politeness.forServers(servers, asked);
        if (!polite.equals(asked)) {
            log.warn("pool servers take at most {} requests per run, {} s apart: using those",
                    Politeness.MAX_POOL_SAMPLES, Politeness.MIN_POOL_SPACING.toSeconds());
        }
        return polite;
    }
}
