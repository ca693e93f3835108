package io.timesync.cli;

import io.timesync.app.Machine;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.Plan;
import io.timesync.platform.BuiltInService;
import io.timesync.platform.Host;
import io.timesync.platform.Platform;
import io.timesync.platform.ServiceSetup;
import io.timesync.platform.SetupPlan;
import io.timesync.platform.SetupRefusal;
import io.timesync.platform.SetupRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code timesync setup}: put a time service in place, the way the distribution installs software. */
@Command(name = "setup",
        mixinStandardHelpOptions = true,
        description = {"Installs, enables and starts a time service.",
            "Installs one when none is there (chrony unless --service says otherwise) with the distribution's package"
                    + " manager, found from /etc/os-release and the tools present (apt-get, dnf, yum, zypper, apk, pacman;"
                    + " brew on macOS), stops any other time service that runs, then enables and starts it (systemd or"
                    + " OpenRC, whichever is PID 1). On Windows nothing is installed: w32time is built in, and whether NSSM"
                    + " is there is reported."},
        footer = {"", "Examples:", "  timesync setup --dry-run", "  sudo timesync setup --service chrony", "",
            "Exit codes: 0 done (or nothing to do), 64 bad arguments, 69 no package manager or the service is not packaged"
                    + " here, 71 a command failed (its output is shown), 77 needs root."})
final class SetupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    LoggingMixin logging;

    @Mixin
    SystemRootMixin system;

    @Option(names = "--service", paramLabel = "chrony|ntpsec|timesyncd", completionCandidates = Choices.SetupServices.class,
            description = "The time service to put in place (default: the one installed, else chrony).")
    String service;

    @Option(names = "--dry-run", description = "Print the exact argument lists (and the package manager's own simulation"
            + " where it has one); change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    /** The JSON document. */
    record Document(String os, String packageManager, String init, String service, String reason,
                    List<Map<String, Object>> steps, SetupPlan.Simulation simulation, boolean dryRun, String result) {
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Machine machine = TimeSyncCommand.machineOf(spec);
        Platform platform = machine.platform();
        Host host = machine.host(false);
        ServiceSetup setup;
        try {
            setup = platform.setup(host, new SetupRequest(system.root, service, dryRun));
        } catch (SetupRefusal e) {
            if (e.kind() == SetupRefusal.Kind.BAD_REQUEST) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            err.println("timesync: " + e.getMessage());
            return switch (e.kind()) {
                case OUTSIDE_ROOT -> ExitCode.USAGE;
                case UNREADABLE -> ExitCode.CANNOT_WRITE;
                default -> ExitCode.NO_SERVER;
            };
        }
        if (setup instanceof BuiltInService builtIn) {
            return builtIn(builtIn, out);
        }
        SetupPlan setupPlan = (SetupPlan) setup;
        Plan plan = setupPlan.plan();
        if (dryRun || plan.isEmpty()) {
            SetupPlan.Simulation simulation = setupPlan.simulation().orElse(null);
            String result = plan.isEmpty() ? "nothing to do: " + plan.reason() : "dry run: nothing changed";
            if (json) {
                JsonOutput.print(document(setupPlan, simulation, dryRun, result), out);
            } else {
                printHeader(setupPlan, out);
                if (simulation != null) {
                    out.println(String.join(" ", simulation.argv()) + " (the package manager's own dry run) exited "
                            + simulation.exitCode() + ":");
                    simulation.output().lines().forEach(line -> out.println("    " + line));
                }
                out.println(plan.isEmpty() ? "Nothing to do: " + plan.reason() + "." : "Dry run: nothing changed.");
            }
            out.flush();
            return ExitCode.OK;
        }
        if (system.lacksPrivilege() && setupPlan.needsPrivilege()) {
            err.println("timesync: setup installs and starts a system service and needs root; run it as root,"
                    + " or add --dry-run to see the plan");
            return ExitCode.PERMISSION;
        }
        if (!json) {
            printHeader(setupPlan, out);
            out.flush();
        }
        CommandRunner runner = host.runner();
        try {
            for (Plan.Step step : plan.steps()) {
                if (!(step instanceof Plan.RunCommand c)) {
                    throw new IllegalStateException("a setup plan only runs commands, not " + step);
                }
                CommandRunner.Result r = runner.run(c.argv(), c.timeout());
                if (!r.succeeded()) {
                    err.println("timesync: " + String.join(" ", c.argv()) + " failed (exit " + r.exitCode() + "):");
                    err.println((r.stderr() + r.stdout()).strip());
                    return ExitCode.CORRECTION_FAILED;
                }
            }
        } catch (IOException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.CORRECTION_FAILED;
        }
        String result = platform.serviceActive(host, system.root, plan.service()) ? plan.service() + " is installed and active"
                : plan.service() + " is installed and enabled but does not answer yet: run 'timesync doctor' in a minute";
        if (json) {
            JsonOutput.print(document(setupPlan, null, false, result), out);
        } else {
            out.println("Done: " + result + ".");
        }
        out.flush();
        return ExitCode.OK;
    }

    private static Document document(SetupPlan setup, SetupPlan.Simulation simulation, boolean dryRun, String result) {
        Plan plan = setup.plan();
        return new Document(setup.system(), setup.packageManager(), setup.init(), plan.service(), plan.reason(),
                PlanText.steps(plan), simulation, dryRun, result);
    }

    private static void printHeader(SetupPlan setup, PrintWriter out) {
        out.println("System: " + setup.system() + "; package manager: " + setup.packageManager() + "; init: " + setup.init());
        Plan plan = setup.plan();
        if (!plan.isEmpty()) {
            out.println("Why: " + plan.reason());
            PlanText.print(plan, out);
        }
    }

    /** A time service that is part of the OS: nothing to install, and what the platform found. */
    private int builtIn(BuiltInService service, PrintWriter out) {
        if (json) {
            JsonOutput.print(service.facts(), out);
        } else {
            service.lines().forEach(out::println);
        }
        out.flush();
        return ExitCode.OK;
    }
}
