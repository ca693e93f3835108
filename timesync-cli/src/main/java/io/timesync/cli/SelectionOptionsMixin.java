package io.timesync.cli;

import io.timesync.time.ServerAddress;
import io.timesync.app.StateDirectory;
import io.timesync.app.config.ConfigFile;
import io.timesync.app.config.Configuration;
import io.timesync.select.Optimizer.Strategy;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.List;

/** The options that choose candidates and govern selection, shared by {@code optimize} and {@code sync}. */
final class SelectionOptionsMixin {

    @Option(names = "--server", paramLabel = "HOST[:PORT]", converter = ServerConverter.class,
            description = "A candidate server (repeatable).")
    List<ServerAddress> servers = List.of();

    @Option(names = "--pool", paramLabel = "NAME", description = "Use only this pool (each of its addresses is a candidate).")
    String pool;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Region for the default pools: a time zone (Europe/Berlin), a country code (de) or a continent (europe).")
    String region;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file, JSON or properties (see README).")
    Path config;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the memo is kept (default: the platform's state directory).")
    Path stateDir;

    @Option(names = "--strategy", paramLabel = "best|first-reachable", converter = StrategyConverter.class,
            completionCandidates = Choices.Strategies.class,
            description = "best (default): probe all, score, select; first-reachable: the first that answers validly, in order.")
    Strategy strategy;

    @Option(names = "--min-score", paramLabel = "SCORE", description = "Minimum score to be selected, 0-100 (default: 60).")
    Double minScore;

    @Option(names = "--min-stratum", paramLabel = "N", description = "Lowest stratum accepted (default: 1).")
    Integer minStratum;

    @Option(names = "--max-stratum", paramLabel = "N", description = "Highest stratum accepted (default: 3).")
    Integer maxStratum;

    @Option(names = "--hysteresis-percent", paramLabel = "P",
            description = "A challenger must beat the current server by more than P percent (default: 15)...")
    Double hysteresisPercent;

    @Option(names = "--stability-threshold", paramLabel = "RUNS", description = "...on this many consecutive runs (default: 2).")
    Integer stabilityThreshold;

    @Mixin
    NtsOptionsMixin nts;

    @Option(names = "--require-nts", description = "Select only NTS-authenticated servers (default: prefer them when any answers).")
    boolean requireNts;

    /**
     * Resolves the options.
     *
     * @throws ParameterException (exit 64) naming what is wrong in the options or the configuration
     */
    Configuration resolve(ProbeOptionsMixin probing, CommandLine commandLine) throws InterruptedException {
        try {
            ConfigFile file = config == null ? ConfigFile.none() : ConfigFile.read(config);
            Configuration.Flags flags = new Configuration.Flags(servers, pool, region, stateDir, strategy, minScore, minStratum,
                    maxStratum, hysteresisPercent, stabilityThreshold, nts.ntsServers, nts.ntsTrust, requireNts, probing.given());
            return Configuration.resolve(flags, file, () -> StateDirectory.resolve(TimeSyncCommand.machineOf(commandLine), null, null));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
    }
}
