package io.timesync.cli;

import io.timesync.app.Machine;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.Plan;
import io.timesync.platform.BuiltInService;
import io.timesync.unix.host.OutsideRootException;
import io.timesync.unix.host.InitSystem;
import io.timesync.unix.host.RootPath;
import io.timesync.unix.TimeServiceDetector;
import io.timesync.unix.TimeServiceDetector.Found;
import io.timesync.unix.TimeServiceDetector.Service;
import io.timesync.unix.setup.OsRelease;
import io.timesync.unix.setup.PackageManager;
import io.timesync.unix.setup.TimeServiceSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

    private static final Duration SIMULATION_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DETECT_TIMEOUT = Duration.ofSeconds(5);

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
                    List<Map<String, Object>> steps, Simulation simulation, boolean dryRun, String result) {
    }

    /** The package manager's own dry run. */
    record Simulation(List<String> argv, int exitCode, String output) {
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Machine machine = TimeSyncCommand.machineOf(spec);
        CommandRunner runner = machine.runner();
        Optional<BuiltInService> builtIn;
        try {
            builtIn = machine.platform().builtInService(machine.host(false));
        } catch (IOException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.NO_SERVER;
        }
        if (builtIn.isPresent()) {
            return builtIn(builtIn.get(), out);
        }
        Service requested = null;
        if (service != null) {
            requested = TimeServiceSetup.parseName(service).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "'" + service + "' is not a time service TimeSync sets up (expected chrony, ntpsec or timesyncd)"));
        }
        TimeServiceSetup setup = new TimeServiceSetup(system.root);
        Optional<OsRelease> os;
        try {
            os = OsRelease.read(system.root);
        } catch (OutsideRootException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.USAGE;
        } catch (IOException e) {
            err.println("timesync: cannot read os-release: " + e.getMessage());
            return ExitCode.CANNOT_WRITE;
        }
        Optional<PackageManager> pm = setup.packageManager(os);
        InitSystem init = setup.init();
        List<Found> found = new TimeServiceDetector(system.root, runner, DETECT_TIMEOUT).detectAll();
        Plan plan;
        try {
            plan = setup.plan(requested, found, pm.orElse(null), init);
        } catch (TimeServiceSetup.SetupException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.NO_SERVER;
        }
        String osName = os.map(OsRelease::prettyName).orElse(machine.platform().name());
        String pmName = pm.map(PackageManager::program).orElse("none");
        String initName = InitSystem.describe(system.root);
        Service chosen = TimeServiceSetup.parseName(plan.service()).orElseThrow();
        boolean installs = !plan.isEmpty() && found.stream().noneMatch(f -> f.service() == chosen && f.installed());

        if (dryRun || plan.isEmpty()) {
            Simulation simulation = dryRun && installs
                    ? simulate(runner, pm.get(), List.of(TimeServiceSetup.packageName(chosen, pm.get()).orElseThrow())) : null;
            String result = plan.isEmpty() ? "nothing to do: " + plan.reason() : "dry run: nothing changed";
            if (json) {
                JsonOutput.print(new Document(osName, pmName, initName, plan.service(), plan.reason(), PlanText.steps(plan),
                        simulation, dryRun, result), out);
            } else {
                out.println("System: " + osName + "; package manager: " + pmName + "; init: " + initName);
                printPlan(plan, out);
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
        if (installs && !RootPath.isRealSystem(system.root)) {
            throw new ParameterException(spec.commandLine(), "packages cannot be installed into another root (--root "
                    + system.root + "): run setup inside that system, or add --dry-run");
        }
        // Homebrew refuses to run as root, so a brew install needs no privileges.
        if (system.lacksPrivilege() && !(installs && pm.get() == PackageManager.BREW)) {
            err.println("timesync: setup installs and starts a system service and needs root; run it as root,"
                    + " or add --dry-run to see the plan");
            return ExitCode.PERMISSION;
        }
        if (!json) {
            out.println("System: " + osName + "; package manager: " + pmName + "; init: " + initName);
            printPlan(plan, out);
            out.flush();
        }
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
        boolean active = new TimeServiceDetector(system.root, runner, DETECT_TIMEOUT).detectAll().stream()
                .anyMatch(f -> f.service() == chosen && f.active());
        String result = active ? plan.service() + " is installed and active"
                : plan.service() + " is installed and enabled but does not answer yet: run 'timesync doctor' in a minute";
        if (json) {
            JsonOutput.print(new Document(osName, pmName, initName, plan.service(), plan.reason(), PlanText.steps(plan),
                    null, false, result), out);
        } else {
            out.println("Done: " + result + ".");
        }
        out.flush();
        return ExitCode.OK;
    }

    private static void printPlan(Plan plan, PrintWriter out) {
        if (!plan.isEmpty()) {
            out.println("Why: " + plan.reason());
            PlanText.print(plan, out);
        }
    }

    /** The package manager's own simulation of installing {@code packages}, where it has one; null elsewhere. */
    private Simulation simulate(CommandRunner runner, PackageManager pm, List<String> packages) throws InterruptedException {
        Optional<List<String>> argv = pm.simulateArgv(packages);
        if (argv.isEmpty() || !RootPath.isRealSystem(system.root)) {
            return null;
        }
        try {
            CommandRunner.Result r = runner.run(argv.get(), SIMULATION_TIMEOUT);
            return new Simulation(argv.get(), r.exitCode(), (r.stdout() + r.stderr()).strip());
        } catch (IOException e) {
            return new Simulation(argv.get(), -1, e.getMessage());
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
