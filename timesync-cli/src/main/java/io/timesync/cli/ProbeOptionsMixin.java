package io.timesync.cli;

import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.app.config.Configuration;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/** The probing options shared by {@code probe} and {@code optimize}; unset ones fall back to a configuration or the defaults. */
final class ProbeOptionsMixin {

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

    /** The values given (null for those not). */
    Configuration.Probing given() {
        return new Configuration.Probing(samples, spacing, timeout, concurrency);
    }

    /**
     * The options given, over {@code base} (a configuration's, or the defaults), within the pool's
     * politeness rules when any of {@code servers} is a pool name.
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    ProbeOptions over(ProbeOptions base, List<ServerAddress> servers) {
        return given().over(base, servers);
    }
}
