package io.timesync.cli;

import io.timesync.correct.Plan;
import io.timesync.windows.service.WindowsServiceInstaller;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code timesync service install|uninstall} on Windows: NSSM when found, else a scheduled task. */
final class WindowsServiceCommands {

    private WindowsServiceCommands() {
    }

    /**
     * Installs {@code sync --mode MODE} every {@code interval}, or keeps {@code daemon --mode MODE} running.
     *
     * @param foreign whether TimeSync runs on another OS: the plan is printed, nothing is looked up or run
     */
    static int install(List<String> launcher, String mode, boolean daemon, Duration interval, Path nssm, boolean foreign,
                       boolean dryRun, CommandSpec spec) throws InterruptedException {
        WindowsServiceInstaller installer;
        try {
            installer = installer(Machine.of(spec), nssm, foreign);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(daemon ? "daemon" : "sync", "--mode", mode));
        Plan plan;
        try {
            plan = daemon ? installer.installDaemon(command) : installer.install(command, interval);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return carryOut(installer, plan, dryRun, spec, "installed");
    }

    /** Removes the task or the service, whichever is there. */
    static int uninstall(Path nssm, boolean foreign, boolean dryRun, CommandSpec spec) throws InterruptedException {
        if (foreign) {
            throw new ParameterException(spec.commandLine(), "uninstall reads what is installed: run it on the Windows machine"
                    + " (with --dry-run to see the plan)");
        }
        try {
            WindowsServiceInstaller installer = installer(Machine.of(spec), nssm, false);
            return carryOut(installer, installer.uninstall(), dryRun, spec, "removed");
        } catch (IOException e) {
            spec.commandLine().getErr().println("timesync: " + e.getMessage());
            return SyncCommand.elevationOr(e, ExitCode.NO_SERVER, spec.commandLine().getErr());
        }
    }

    /**
     * The launcher for the task or service: {@code bin\timesync.cmd} of this installation when there is
     * one (a short command line, and the Java it finds), else {@code fallback}.
     */
    static List<String> launcher(Path jar, List<String> fallback) {
        if (jar != null && jar.getParent() != null && jar.getParent().getParent() != null) {
            Path cmd = jar.getParent().getParent().resolve("bin").resolve("timesync.cmd");
            if (Files.isRegularFile(cmd)) {
                return List.of(cmd.toAbsolutePath().toString());
            }
        }
        // NSSM and the task scheduler want the program's file name as it is on disk.
        List<String> withExe = new ArrayList<>(fallback);
        if (withExe.get(0).endsWith("java")) {
            withExe.set(0, withExe.get(0) + ".exe");
        }
        return withExe;
    }

    private static WindowsServiceInstaller installer(Machine machine, Path nssm, boolean foreign) throws IOException {
        // Planning for another machine trusts the path given for it.
        Path found = foreign ? nssm : WindowsServiceInstaller.findNssm(nssm, machine.env()).orElse(null);
        return new WindowsServiceInstaller(machine.runner(), found);
    }

    private static int carryOut(WindowsServiceInstaller installer, Plan plan, boolean dryRun, CommandSpec spec, String done)
            throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PlanText.print(plan, out);
        if (dryRun) {
            out.println("Dry run: nothing changed.");
            return ExitCode.OK;
        }
        try {
            installer.apply(plan);
        } catch (IOException e) {
            spec.commandLine().getErr().println("timesync: " + e.getMessage() + "; nothing was left behind");
            return SyncCommand.elevationOr(e, ExitCode.CORRECTION_FAILED, spec.commandLine().getErr());
        }
        out.println("Done: " + done + " (" + plan.service() + ").");
        return ExitCode.OK;
    }
}
