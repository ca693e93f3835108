package io.timesync.cli;

import io.timesync.time.Mode;
import io.timesync.correct.Plan;
import io.timesync.platform.AgentInstaller;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code timesync service install|uninstall}: run {@code sync} periodically with the system's scheduler. */
@Command(name = "service",
        mixinStandardHelpOptions = true,
        description = {"Installs or removes TimeSync's periodic run or its daemon.",
            "The periodic 'timesync sync' run is a systemd service and timer where systemd runs, else a cron entry, or a"
                    + " launchd job on macOS; on Windows a service through NSSM, else a scheduled task."},
        subcommands = {ServiceCommand.Install.class, ServiceCommand.Uninstall.class})
final class ServiceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing 'install' or 'uninstall'");
    }

    /** {@code timesync service install}. */
    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Runs 'timesync sync' periodically, or keeps 'timesync daemon' running.",
                "It runs 'timesync sync --mode MODE' every INTERVAL (default: the mode's), with a random delay so that a"
                        + " fleet spreads out; or, for ultrafast (or with --daemon), keeps 'timesync daemon --mode MODE'"
                        + " running (a systemd service enabled at boot, or a launchd job; cron cannot supervise a daemon)."},
            footer = {"", "Exit codes: 0 installed, 64 bad arguments, 69 no scheduler found, 71 the scheduler rejected"
                    + " the files (nothing left behind), 77 needs root."})
    static final class Install implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        LoggingMixin logging;

        @Mixin
        SystemRootMixin system;

        @Option(names = "--mode", paramLabel = "fast|ultrafast|lazy", defaultValue = "fast",
                completionCandidates = Choices.Modes.class,
                description = "fast (every 60 s, default), lazy (every 30 min), or ultrafast (the daemon, every second).")
        String mode;

        @Option(names = "--daemon", description = "Keep 'timesync daemon' running instead of periodic 'sync' runs.")
        boolean daemon;

        @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Time between runs, 10 s to 1 day (default: the mode's).")
        Duration interval;

        @Option(names = "--exec", paramLabel = "PATH",
                description = "The timesync launcher to run (default: the launcher that started this run, else this Java"
                        + " and this jar).")
        Path exec;

        @Option(names = "--dry-run", description = "Print the plan exactly; change nothing.")
        boolean dryRun;

        @Mixin
        PlatformMixin platform;

        @Option(names = "--nssm", paramLabel = "PATH", description = "Windows: the nssm.exe to install a service with"
                + " (default: nssm.exe on the PATH; without NSSM, a scheduled task).")
        Path nssm;

        @Override
        public Integer call() throws InterruptedException {
            Mode chosen = mode(mode, spec);
            boolean longRunning = daemon || chosen == Mode.ULTRAFAST;
            if (longRunning && interval != null) {
                throw new ParameterException(spec.commandLine(), "--interval is for periodic runs; the daemon keeps the"
                        + " mode's own schedule");
            }
            Duration every = interval != null ? interval : chosen.interval();
            platform.requireDryRunIfForeign(dryRun);
            Plan plan;
            AgentInstaller installer;
            try {
                installer = platform.platform().installer(platform.host(), system.root, nssm);
                List<String> command = new ArrayList<>(installer.launcher(exec, thisJar(), TimeSyncCommand.machineOf(spec).env()));
                command.addAll(List.of(longRunning ? "daemon" : "sync", "--mode", chosen.name().toLowerCase(Locale.ROOT)));
                plan = longRunning ? installer.installDaemon(command) : installer.install(command, every);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            } catch (IOException e) {
                spec.commandLine().getErr().println("timesync: " + e.getMessage());
                return SystemRootMixin.exitCode(e);
            }
            return carryOut(installer, plan, dryRun, system, platform, spec, "installed");
        }
    }

    /** {@code timesync service uninstall}. */
    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = "Removes what 'service install' put in place.",
            footer = {"", "Exit codes: 0 removed, 69 no scheduler found, 71 the scheduler failed, 77 needs root."})
    static final class Uninstall implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        LoggingMixin logging;

        @Mixin
        SystemRootMixin system;

        @Option(names = "--dry-run", description = "Print the plan exactly; change nothing.")
        boolean dryRun;

        @Mixin
        PlatformMixin platform;

        @Option(names = "--nssm", paramLabel = "PATH", description = "Windows: the nssm.exe that installed the service.")
        Path nssm;

        @Override
        public Integer call() throws InterruptedException {
            platform.requireDryRunIfForeign(dryRun);
            AgentInstaller installer;
            Plan plan;
            try {
                installer = platform.platform().installer(platform.host(), system.root, nssm);
                plan = installer.uninstall();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            } catch (IOException e) {
                spec.commandLine().getErr().println("timesync: " + e.getMessage());
                return SyncCommand.elevationOr(platform.platform(), e, SystemRootMixin.exitCode(e), spec.commandLine().getErr());
            }
            return carryOut(installer, plan, dryRun, system, platform, spec, "removed");
        }
    }

    private static int carryOut(AgentInstaller installer, Plan plan, boolean dryRun, SystemRootMixin system,
                                PlatformMixin platform, CommandSpec spec, String done) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PlanText.print(plan, out);
        if (dryRun) {
            out.println("Dry run: nothing changed.");
            return ExitCode.OK;
        }
        if (system.lacksPrivilege()) {
            spec.commandLine().getErr().println("timesync: installing a service changes the system and needs root;"
                    + " run it as root, or add --dry-run to see the plan");
            return ExitCode.PERMISSION;
        }
        try {
            installer.apply(plan);
        } catch (IOException e) {
            spec.commandLine().getErr().println("timesync: " + e.getMessage() + "; nothing was left behind");
            return SyncCommand.elevationOr(platform.platform(), e, ExitCode.CORRECTION_FAILED, spec.commandLine().getErr());
        }
        out.println("Done: " + done + " (" + plan.service() + ").");
        return ExitCode.OK;
    }

    private static Mode mode(String text, CommandSpec spec) {
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "'" + text + "' is not a mode (expected fast, ultrafast or lazy)");
        }
    }

    /** The jar this TimeSync runs from, or null (e.g. classes in a build directory). */
    private static Path thisJar() {
        try {
            Path jar = Path.of(ServiceCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(jar) && jar.toString().endsWith(".jar") ? jar : null;
        } catch (URISyntaxException | SecurityException | NullPointerException | IllegalArgumentException e) {
            return null;
        }
    }
}
