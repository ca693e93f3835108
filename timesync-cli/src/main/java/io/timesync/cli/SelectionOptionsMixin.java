package io.timesync.cli;

import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.memo.JsonMemoStore;
import io.timesync.nts.NtsClient;
import io.timesync.probe.Probe;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Candidates;
import io.timesync.select.Optimizer;
import io.timesync.select.Optimizer.Strategy;
import io.timesync.select.SelectionPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
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
     * Everything a selection run needs, from the options over the configuration file over the defaults.
     *
     * @param options    how to probe
     * @param policy     how to select
     * @param candidates whom to probe
     * @param strategy   best or first-reachable
     * @param store      the memo
     * @param ntsCandidates the NTS servers to measure beside the candidates
     * @param nts          the NTS client keeping its sessions beside the memo (null without NTS candidates)
     * @param ntsDryRun    the NTS client keeping its sessions in memory only, for runs that record nothing
     * @param settings     the configuration file's settings (for what only some commands use)
     */
    record Selecting(ProbeOptions options, SelectionPolicy policy, List<ServerAddress> candidates, Strategy strategy,
                     JsonMemoStore store, List<ServerAddress> ntsCandidates, NtsClient nts, NtsClient ntsDryRun,
                     OptimizeSettings settings) {

        /** The optimiser over every candidate, plain and NTS; a dry run keeps no NTS session on disk. */
        Optimizer optimizer(boolean dryRun) {
            return new Optimizer(ProbeRunner.create(options), policy, ntsProbes(dryRun));
        }

        /** A probe per NTS candidate, sharing the sessions of the client for this kind of run. */
        List<Probe> ntsProbes(boolean dryRun) {
            List<Probe> probes = new ArrayList<>(ntsCandidates.size());
            for (ServerAddress server : ntsCandidates) {
                probes.add((dryRun ? ntsDryRun : nts).probe(server, options));
            }
            return probes;
        }
    }

    /**
     * Resolves the options.
     *
     * @throws ParameterException (exit 64) naming what is wrong in the options or the configuration
     */
    Selecting resolve(ProbeOptionsMixin probing, CommandLine commandLine) throws InterruptedException {
        try {
            OptimizeSettings settings = config == null ? OptimizeSettings.none() : OptimizeSettings.read(config);
            SelectionPolicy p = settings.policy();
            SelectionPolicy policy = new SelectionPolicy(p.jitterWeight(), p.reachWeight(), p.stratumWeight(),
                    p.latencyWeight(), minScore != null ? minScore : p.minScore(),
                    minStratum != null ? minStratum : p.minStratum(), maxStratum != null ? maxStratum : p.maxStratum(),
                    p.maxRootDistance(), hysteresisPercent != null ? hysteresisPercent : p.hysteresisPercent(),
                    stabilityThreshold != null ? stabilityThreshold : p.stabilityThreshold(), p.maxSelected(),
                    p.failuresToBlacklist(), p.blacklistCooldown(), requireNts || settings.requireNts());
            // A configuration listing only NTS servers names its servers: the default pools do not join them.
            boolean onlyNts = servers.isEmpty() && pool == null && settings.pool() == null && settings.onlyNtsServers();
            List<ServerAddress> candidates = onlyNts ? List.of() : Candidates.choose(servers,
                    pool != null ? pool : (servers.isEmpty() ? settings.pool() : null), settings.servers(),
                    region != null ? region : settings.region(), ZoneId.systemDefault());
            ProbeOptions options = probing.over(settings.probeOptions(), candidates);
            Path state = StateDirectory.resolve(Machine.of(commandLine), stateDir, settings.stateDir());
            // Public NTS servers join the default candidates; named servers or a pool replace both.
            boolean defaults = servers.isEmpty() && pool == null && settings.pool() == null && settings.servers().isEmpty();
            List<ServerAddress> ntsCandidates = !nts.ntsServers.isEmpty() ? nts.ntsServers
                    : !settings.ntsServers().isEmpty() ? settings.ntsServers()
                    : defaults ? Candidates.ntsDefaults() : List.of();
            return new Selecting(options, policy, candidates, strategy != null ? strategy : settings.strategy(),
                    new JsonMemoStore(state), ntsCandidates,
                    ntsCandidates.isEmpty() ? null : nts.client(options, settings.ntsTrust(), state),
                    ntsCandidates.isEmpty() ? null : nts.client(options, settings.ntsTrust(), null), settings);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
    }
}
