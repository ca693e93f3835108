package io.timesync.cli;

import io.timesync.api.ProbeOptions;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The probing options shared by {@code probe} and {@code optimize}; unset ones fall back to a configuration or the defaults. */
final class ProbeOptionsMixin {

    @Option(names = "--samples", paramLabel = "N",
            description = "Requests per address, 1-64 (default: 4; public pools allow at most 4 per run).")
    Integer samples;

    @Option(names = "--spacing", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time between requests to one address (default: 2s; below 2s only for your own servers).")
    Duration spacing;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for each reply (default: 1s).")
    Duration timeout;

    @Option(names = "--concurrency", paramLabel = "N", description = "Addresses probed at once, 1-1024 (default: 256).")
    Integer concurrency;

    /** The options given, over {@code base} (a configuration's, or the defaults). */
    ProbeOptions over(ProbeOptions base) {
        return new ProbeOptions(samples != null ? samples : base.samples(), spacing != null ? spacing : base.spacing(),
                timeout != null ? timeout : base.timeout(), concurrency != null ? concurrency : base.concurrency());
    }
}
