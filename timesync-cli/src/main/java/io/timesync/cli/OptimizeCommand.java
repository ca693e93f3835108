package io.timesync.cli;

import io.timesync.time.TimeSource;
import io.timesync.app.config.Configuration;
import io.timesync.memo.JsonMemoStore;
import io.timesync.memo.Memo;
import io.timesync.memo.MemoException;
import io.timesync.select.Decision;
import io.timesync.select.Optimizer;
import io.timesync.select.RunRecorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code timesync optimize}: tests the candidate servers, ranks them and records the choice. */
@Command(name = "optimize",
        mixinStandardHelpOptions = true,
        description = {"Selects the best NTP servers and explains every verdict.",
            "It tests the candidate servers, rejects falsetickers, ranks the rest by a weighted score and selects the best."
                    + " The choice, the reachability history and the blacklist are kept in the state directory. Nothing on"
                    + " this machine's clock or time service is changed (that is 'sync')."},
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

    @Mixin
    SelectionOptionsMixin selecting;

    @Option(names = "--dry-run", description = "Decide and print, but record nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print one JSON document (times in nanoseconds) instead of a table.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Configuration run = selecting.resolve(probing, spec.commandLine());
        JsonMemoStore store = run.store();
        PrintWriter err = spec.commandLine().getErr();

        Memo memo;
        try {
            memo = store.load();
        } catch (MemoException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.CANNOT_WRITE;
        }
        long now = TimeSource.system().wallClockNanos();
        Decision decision;
        try (Optimizer optimizer = run.optimizer(dryRun)) {
            decision = optimizer.run(run.strategy(), run.candidates(), memo, now);
        }
        if (!dryRun) {
            try {
                RunRecorder recorder = new RunRecorder(run.policy());
                store.update(latest -> recorder.record(latest, decision, now));
            } catch (MemoException e) {
                err.println("timesync: the decision was made but cannot be recorded: " + e.getMessage());
                return ExitCode.CANNOT_WRITE;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            OptimizeReport.printJson(decision, run.strategy(), dryRun, store.file(), out);
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
}
