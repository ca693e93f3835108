package io.timesync.cli;

import io.timesync.agent.Cycle;
import io.timesync.agent.CycleKind;
import io.timesync.agent.CycleReport;
import io.timesync.time.TimeSource;
import io.timesync.app.SkewFallback;
import io.timesync.app.StateDirectory;
import io.timesync.app.config.Configuration;
import io.timesync.text.NanosText;
import io.timesync.app.telemetry.TelemetryLog;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.memo.MemoException;
import io.timesync.select.Decision;
import io.timesync.platform.Platform;
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
        description = {"Selects servers, measures the skew and corrects it through the OS time service, once.",
            "It selects servers as 'optimize' does, measures the skew against the primary, decides with the mode's threshold"
                    + " (slew below 100 ms, step from there, refuse beyond the panic bound), and applies it through the OS time"
                    + " service: the selection goes into a file or block TimeSync owns, validated, backed up and verified, and"
                    + " rolled back on failure. Supported: chrony (a sources file of its own where chrony.conf names a"
                    + " sourcedir, else a managed block in chrony.conf), ntpd/NTPsec (a managed block in ntp.conf) and"
                    + " systemd-timesyncd (a drop-in)."},
        footer = {"", "Exit codes: 0 done (or nothing to do), 64 bad arguments or a path leading outside --root,",
            "69 no server or no supported time service, 70 internal error, 71 the service refused the change",
            "(previous state restored), 73 state cannot be written, 75 skew beyond the panic bound (nothing",
            "changed), 77 needs root."})
final class SyncCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    LoggingMixin logging;

    @Mixin
    ProbeOptionsMixin probing;

    @Mixin
    SelectionOptionsMixin selecting;

    @Mixin
    CorrectionOptionsMixin correcting;

    @Mixin
    SystemRootMixin system;

    @Mixin
    PlatformMixin platform;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        correcting.mode(spec.commandLine());
        Configuration run = selecting.resolve(probing, spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean dryRun = correcting.dryRun;
        platform.requireDryRunIfForeign(dryRun);
        if (!dryRun && system.lacksPrivilege()) {
            err.println("timesync: sync changes the time service's configuration and needs root;"
                    + " run it as root, or add --dry-run to see the plan");
            return ExitCode.PERMISSION;
        }
        Corrector corrector;
        try {
            corrector = correcting.corrector(system, platform, spec.commandLine());
        } catch (IOException e) {
            err.println("timesync: " + e.getMessage());
            return SystemRootMixin.exitCode(e);
        }
        CycleReport report;
        try (Cycle cycle = correcting.cycle(run, spec.commandLine(), corrector, null)) {
            Cycle.Measured measured = cycle.measure(CycleKind.OPTIMIZE, TimeSource.system().wallClockNanos());
            report = cycle.finish(SkewFallback.measured(measured, SkewFallback.candidates(platform.platform().skewFallbacks(
                    platform.host(), run.candidates(), run.options().samples()))));
        } catch (MemoException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.CANNOT_WRITE;
        }
        if (!dryRun) {
            telemetry(report, err);
        }
        report(report, run, dryRun, out);
        int code = switch (report.outcome()) {
            case NO_SOURCE -> {
                err.println("timesync: " + report.detail() + "; nothing changed");
                yield ExitCode.NO_SERVER;
            }
            case PLAN_FAILED -> {
                err.println("timesync: " + report.detail());
                yield elevationOr(platform.platform(), report.failure(), ExitCode.NO_SERVER, err);
            }
            case REFUSED -> {
                if (!dryRun) {
                    err.println("timesync: " + report.action().reason());
                }
                yield ExitCode.REFUSED;
            }
            case CORRECTION_FAILED -> {
                err.println("timesync: the correction failed: " + report.detail());
                yield elevationOr(platform.platform(), report.failure(), ExitCode.CORRECTION_FAILED, err);
            }
            case IN_SYNC, APPLIED, PLANNED -> ExitCode.OK;
        };
        if (report.recordFailure() != null) {
            err.println("timesync: the run is done but cannot be recorded: " + report.recordFailure());
            code = code == ExitCode.OK ? ExitCode.CANNOT_WRITE : code;
        }
        return code;
    }

    /** The run's line in the telemetry log; a log that cannot be written is said, and the run stands. */
    private void telemetry(CycleReport report, PrintWriter err) throws InterruptedException {
        Path logs = StateDirectory.logs(TimeSyncCommand.machineOf(spec), correcting.logDir);
        try (TelemetryLog log = TelemetryLog.open(logs)) {
            log.cycle(report);
        } catch (IOException e) {
            err.println("timesync: " + e.getMessage() + " (the run itself is done; choose --log-dir)");
        }
    }

    /** Exit 77 with the reason when the OS refused for lack of rights, else {@code code}. */
    static int elevationOr(Platform platform, Exception e, int code, PrintWriter err) {
        java.util.Optional<String> refusal = e == null ? java.util.Optional.empty() : platform.privilegeRefusal(e);
        if (refusal.isEmpty()) {
            return code;
        }
        err.println("timesync: " + refusal.get());
        return ExitCode.PERMISSION;
    }

    private void report(CycleReport r, Configuration run, boolean dryRun, PrintWriter out) {
        Decision decision = r.decision();
        CorrectionPolicy.Action action = r.action();
        Plan plan = r.plan();
        Corrector.Applied applied = r.applied();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("selection", OptimizeReport.document(decision, run.strategy(), dryRun, run.store().file()));
            Map<String, Object> outcome = new LinkedHashMap<>();
            outcome.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            outcome.put("source", r.source());
            outcome.put("detail", r.detail());
            doc.put("decision", outcome);
            doc.put("skewNs", r.skewNanos());
            doc.put("errorBoundNs", r.measured() ? r.measurement().estimate().errorBoundNanos() : null);
            doc.put("action", action == null ? null : Map.of("kind", action.kind().name().toLowerCase(Locale.ROOT),
                    "nanos", action.nanos(), "reason", action.reason()));
            doc.put("service", plan == null ? null : plan.service());
            doc.put("plan", plan == null ? List.of() : PlanText.steps(plan));
            doc.put("planReason", plan == null ? null : plan.reason());
            doc.put("dryRun", dryRun);
            doc.put("applied", applied != null);
            doc.put("verified", applied != null && applied.verified());
            JsonOutput.print(doc, out);
            return;
        }
        OptimizeReport.printRanking(decision, out);
        if (r.skewNanos() != null) {
            out.println("Skew: " + NanosText.of(r.skewNanos(), true) + " +/- "
                    + NanosText.of(r.measurement().estimate().errorBoundNanos(), false) + " (reference - local, from "
                    + r.source() + ")");
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
