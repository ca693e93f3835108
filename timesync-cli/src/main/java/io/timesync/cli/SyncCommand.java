package io.timesync.cli;

import io.timesync.api.Mode;
import io.timesync.api.TimeSource;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.memo.Memo;
import io.timesync.memo.MemoException;
import io.timesync.select.Decision;
import io.timesync.select.RunRecorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code timesync sync}: one run: select servers, measure the skew, decide, correct through the time service, record. */
@Command(name = "sync",
        mixinStandardHelpOptions = true,
        description = {"One run: selects servers (as 'optimize'), measures the skew against the primary, decides with the",
            "mode's threshold (slew below 100 ms, step from there, refuse beyond the panic bound), and applies it through",
            "the OS time service: the selection goes into a file or block TimeSync owns, validated, backed up and verified,",
            "rolled back on failure. Supported: chrony (4.x, with a sourcedir), ntpd/NTPsec (a managed block in ntp.conf)",
            "and systemd-timesyncd (a drop-in)."},
        footer = {"", "Exit codes: 0 done (or nothing to do), 64 bad arguments, 69 no server or no supported time service,",
            "70 internal error, 71 the service refused the change (previous state restored), 73 state cannot be written,",
            "75 skew beyond the panic bound (nothing changed), 77 needs root."})
final class SyncCommand implements Callable<Integer> {


    @Spec
    CommandSpec spec;

    @Mixin
    LoggingMixin logging;

    @Mixin
    ProbeOptionsMixin probing;

    @Mixin
    SelectionOptionsMixin selecting;

    @Option(names = "--mode", paramLabel = "fast|ultrafast|lazy", defaultValue = "fast",
            description = "The threshold to act above: fast 0.1 ms (default), ultrafast 1 us, lazy 1 ms.")
    String mode;

    @Option(names = "--service", paramLabel = "chrony|ntpsec|timesyncd", description = "Use this time service instead of detecting it.")
    String service;

    @Mixin
    SystemRootMixin system;

    @Option(names = "--allow-large-step", description = "Step even beyond the panic bound (1000 s).")
    boolean allowLargeStep;

    @Option(names = "--dry-run", description = "Decide and print the plan exactly; change and record nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Mode chosenMode = parseMode();
        SelectionOptionsMixin.Selecting run = selecting.resolve(probing, spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path root = system.root;
        if (!dryRun && system.lacksPrivilege()) {
            err.println("timesync: sync changes the time service's configuration and needs root;"
                    + " run it as root, or add --dry-run to see the plan");
            return ExitCode.PERMISSION;
        }
        Corrector corrector;
        try {
            corrector = Correctors.forSystem(root, service, dryRun);
        } catch (IOException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.NO_SERVER;
        }

        Memo memo;
        try {
            memo = run.store().load();
        } catch (MemoException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.CANNOT_WRITE;
        }
        long now = TimeSource.system().wallClockNanos();
        Decision decision = run.optimizer(dryRun)
                .run(run.strategy(), run.candidates(), memo, now);
        if (!decision.hasSelection()) {
            report(decision, run, null, null, null, null, out);
            err.println("timesync: no server selected: " + decision.summary() + "; nothing changed");
            return ExitCode.NO_SERVER;
        }
        String primary = decision.selection().servers().get(0);
        long skew = decision.verdicts().stream().filter(v -> v.key().equals(primary)).findFirst().orElseThrow()
                .measurement().estimate().offsetNanos();
        Action action = CorrectionPolicy.defaults().withAllowLargeStep(allowLargeStep)
                .decide(chosenMode, skew, memo.lastCorrectionNanos(), memo.lastCorrectionAtUnixNanos(), now);
        Plan plan;
        try {
            plan = corrector.plan(decision, action);
        } catch (IOException e) {
            err.println("timesync: " + corrector.service() + ": " + e.getMessage());
            return ExitCode.NO_SERVER;
        }
        if (dryRun) {
            report(decision, run, skew, action, plan, null, out);
            return action.kind() == CorrectionPolicy.Kind.REFUSE ? ExitCode.REFUSED : ExitCode.OK;
        }
        Corrector.Applied applied = null;
        int code = ExitCode.OK;
        if (action.kind() == CorrectionPolicy.Kind.REFUSE) {
            err.println("timesync: " + action.reason());
            code = ExitCode.REFUSED;
        } else {
            try {
                applied = corrector.apply(plan);
            } catch (CorrectionException e) {
                err.println("timesync: the correction failed: " + e.getMessage());
                code = ExitCode.CORRECTION_FAILED;
            }
        }
        boolean corrected = applied != null && (action.kind() == CorrectionPolicy.Kind.SLEW
                || action.kind() == CorrectionPolicy.Kind.STEP);
        try {
            RunRecorder recorder = new RunRecorder(run.policy());
            run.store().update(latest -> {
                Memo recorded = recorder.record(latest, decision, now);
                return new Memo(recorded.version(), skew, now, corrected ? Long.valueOf(action.nanos()) : recorded.lastCorrectionNanos(),
                        corrected ? Long.valueOf(now) : recorded.lastCorrectionAtUnixNanos(), recorded.selection(), recorded.servers());
            });
        } catch (MemoException e) {
            err.println("timesync: the run is done but cannot be recorded: " + e.getMessage());
            code = code == ExitCode.OK ? ExitCode.CANNOT_WRITE : code;
        }
        report(decision, run, skew, action, plan, applied, out);
        return code;
    }

    private Mode parseMode() {
        try {
            return Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "'" + mode + "' is not a mode (expected fast, ultrafast or lazy)");
        }
    }

    private void report(Decision decision, SelectionOptionsMixin.Selecting run, Long skew, Action action, Plan plan,
                        Corrector.Applied applied, PrintWriter out) {
        String serviceName = plan == null ? null : plan.service();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("selection", OptimizeReport.document(decision, run.strategy(), dryRun, run.store().file()));
            doc.put("skewNs", skew);
            doc.put("action", action == null ? null : Map.of("kind", action.kind().name().toLowerCase(Locale.ROOT),
                    "nanos", action.nanos(), "reason", action.reason()));
            doc.put("service", serviceName);
            doc.put("plan", plan == null ? List.of() : PlanText.steps(plan));
            doc.put("dryRun", dryRun);
            doc.put("applied", applied != null);
            doc.put("verified", applied != null && applied.verified());
            JsonOutput.print(doc, out);
            return;
        }
        OptimizeReport.printRanking(decision, out);
        if (skew != null) {
            out.println("Skew: " + Nanos.human(skew, true) + " (reference - local, from " + decision.selection().servers().get(0) + ")");
            out.println("Action: " + action.kind().name().toLowerCase(Locale.ROOT) + ": " + action.reason());
        }
        if (plan != null) {
            PlanText.print(plan, out);
        }
        if (dryRun) {
            out.println("Dry run: nothing changed, nothing recorded.");
        } else if (applied != null) {
            out.println("Done: " + applied.summary() + (applied.verified() ? "; the service lists the new servers" : ""));
        }
    }
}
