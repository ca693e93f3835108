package io.timesync.cli;

import io.timesync.api.Mode;
import io.timesync.correct.Plan;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.unix.service.ServiceInstaller;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
            if (platform.platform().name().equals("windows")) {
                List<String> windowsLauncher = exec != null
                        ? List.of(platform.foreign() ? exec.toString() : exec.toAbsolutePath().normalize().toString())
                        : WindowsServiceCommands.launcher(thisJar(), launcher(null, Map.of(), spec));
                return WindowsServiceCommands.install(windowsLauncher, chosen.name().toLowerCase(Locale.ROOT), longRunning, every,
                        nssm, platform.foreign(), dryRun, spec);
            }
            List<String> command = new ArrayList<>(launcher(exec, System.getenv(), spec));
            command.addAll(List.of(longRunning ? "daemon" : "sync", "--mode", chosen.name().toLowerCase(Locale.ROOT)));
            ServiceInstaller installer = new ServiceInstaller(system.root, new ProcessCommandRunner());
            Plan plan;
            try {
                plan = longRunning ? installer.installDaemon(command)
                        : installer.install(command, every, new SecureRandom().nextInt(60));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            } catch (IOException e) {
                spec.commandLine().getErr().println("timesync: " + e.getMessage());
                return SystemRootMixin.exitCode(e);
            }
            return carryOut(installer, plan, dryRun, system, spec, "installed");
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
            if (platform.platform().name().equals("windows")) {
                return WindowsServiceCommands.uninstall(nssm, platform.foreign(), dryRun, spec);
            }
            ServiceInstaller installer = new ServiceInstaller(system.root, new ProcessCommandRunner());
            Plan plan;
            try {
                plan = installer.uninstall();
            } catch (IOException e) {
                spec.commandLine().getErr().println("timesync: " + e.getMessage());
                return SystemRootMixin.exitCode(e);
            }
            return carryOut(installer, plan, dryRun, system, spec, "removed");
        }
    }

    private static int carryOut(ServiceInstaller installer, Plan plan, boolean dryRun, SystemRootMixin system,
                                CommandSpec spec, String done) throws InterruptedException {
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
            return ExitCode.CORRECTION_FAILED;
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

    /**
     * The command that starts this TimeSync: {@code --exec}; else the launcher that started this run
     * ({@code bin/timesync} exports {@code TIMESYNC_LAUNCHER}: a unit that runs {@code /usr/bin/timesync}
     * survives Java upgrades that move the JVM); else this JVM with this jar.
     */
    static List<String> launcher(Path exec, Map<String, String> env, CommandSpec spec) {
        if (exec != null) {
            return List.of(exec.toAbsolutePath().normalize().toString());
        }
        String started = env.get("TIMESYNC_LAUNCHER");
        if (started != null && started.startsWith("/") && Files.isExecutable(Path.of(started))) {
            return List.of(Path.of(started).normalize().toString());
        }
        Path jar = thisJar();
        if (jar == null) {
            throw new ParameterException(spec.commandLine(), "cannot tell which jar runs TimeSync; pass --exec PATH");
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString());
    }
}
