package io.timesync.cli;

import io.timesync.api.ProbeOptions;
import io.timesync.api.ServerAddress;
import io.timesync.api.TimeSource;
import io.timesync.memo.JsonMemoStore;
import io.timesync.memo.Memo;
import io.timesync.memo.MemoException;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Candidates;
import io.timesync.select.Decision;
import io.timesync.select.Optimizer;
import io.timesync.select.Optimizer.Strategy;
import io.timesync.select.RunRecorder;
import io.timesync.select.SelectionPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code timesync optimize}: tests the candidate servers, ranks them and records the choice. */
@Command(name = "optimize",
        mixinStandardHelpOptions = true,
        description = {"Tests the candidate servers, rejects falsetickers, ranks the rest by a weighted score and selects the best,",
            "explaining every verdict. The choice, the reachability history and the blacklist are kept in the state directory.",
            "Nothing on this machine's clock or time service is changed (that is 'sync')."},
        footer = {"", "Candidates: --server and --pool if given; else the configuration's servers; else the pool zones of",
            "--region (default: this machine's time zone), the global pool and well-known vendor servers.", "",
            "Exit codes: 0 a selection was made, 64 bad arguments or configuration, 69 no server usable",
            "(none answered, or no majority agrees), 70 internal error, 73 state cannot be written."})
final class OptimizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    LoggingMixin logging;

    @Mixin
    ProbeOptionsMixin probing;

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

    @Option(names = "--dry-run", description = "Decide and print, but record nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print one JSON document (times in nanoseconds) instead of a table.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        OptimizeSettings settings;
        ProbeOptions options;
        SelectionPolicy policy;
        List<ServerAddress> candidates;
        try {
            settings = config == null ? OptimizeSettings.none() : OptimizeSettings.read(config);
            policy = overrides(settings.policy());
            candidates = Candidates.choose(servers, pool != null ? pool : (servers.isEmpty() ? settings.pool() : null),
                    settings.servers(), region != null ? region : settings.region(), ZoneId.systemDefault());
            options = probing.over(settings.probeOptions(), candidates);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Strategy chosen = strategy != null ? strategy : settings.strategy();
        JsonMemoStore store = new JsonMemoStore(StateDirectory.resolve(stateDir, settings.stateDir()));
        PrintWriter err = spec.commandLine().getErr();

        Memo memo;
        try {
            memo = store.load();
        } catch (MemoException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.CANNOT_WRITE;
        }
        long now = TimeSource.system().wallClockNanos();
        Decision decision = new Optimizer(ProbeRunner.create(options), policy).run(chosen, candidates, memo, now);
        if (!dryRun) {
            try {
                RunRecorder recorder = new RunRecorder(policy);
                store.update(latest -> recorder.record(latest, decision, now));
            } catch (MemoException e) {
                err.println("timesync: the decision was made but cannot be recorded: " + e.getMessage());
                return ExitCode.CANNOT_WRITE;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            OptimizeReport.printJson(decision, chosen, dryRun, store.file(), out);
        } else {
            OptimizeReport.printTable(decision, dryRun, store.file(), out);
        }
        out.flush();
        if (decision.hasSelection()) {
            return ExitCode.OK;
        }
        err.println("timesync: no server selected: " + decision.summary());
        err.flush();
        return ExitCode.NO_SERVER;
    }

    private SelectionPolicy overrides(SelectionPolicy p) {
        return new SelectionPolicy(p.jitterWeight(), p.reachWeight(), p.stratumWeight(), p.latencyWeight(),
                minScore != null ? minScore : p.minScore(), minStratum != null ? minStratum : p.minStratum(),
                maxStratum != null ? maxStratum : p.maxStratum(), p.maxRootDistance(),
                hysteresisPercent != null ? hysteresisPercent : p.hysteresisPercent(),
                stabilityThreshold != null ? stabilityThreshold : p.stabilityThreshold(), p.maxSelected(),
                p.failuresToBlacklist(), p.blacklistCooldown());
    }
}
