package io.timesync.windows.service;

import io.timesync.correct.Plan;
import io.timesync.platform.AgentInstaller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** TimeSync's periodic run or daemon on Windows: a service through NSSM when found, else a scheduled task. */
public final class WindowsAgentInstaller implements AgentInstaller {

    private final WindowsServiceInstaller installer;
    private final boolean foreign;

    /**
     * @param foreign whether TimeSync runs on another OS: the plan is printed, nothing is looked up or run
     */
    public WindowsAgentInstaller(WindowsServiceInstaller installer, boolean foreign) {
        this.installer = installer;
        this.foreign = foreign;
    }

    /**
     * {@code exec} (as given when planning for another machine); else {@code bin\timesync.cmd} of this
     * installation when there is one (a short command line, and the Java it finds); else this Java with
     * {@code jar}.
     */
    @Override
    public List<String> launcher(Path exec, Path jar, Map<String, String> env) {
        if (exec != null) {
            return List.of(foreign ? exec.toString() : exec.toAbsolutePath().normalize().toString());
        }
        if (jar == null) {
            throw new IllegalArgumentException("cannot tell which jar runs TimeSync; pass --exec PATH");
        }
        return launcher(jar, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    }

    /**
     * The launcher for the task or service: {@code bin\timesync.cmd} beside {@code jar}'s {@code lib}
     * when there is one, else {@code fallback} with the Java program's file name as it is on disk.
     */
    public static List<String> launcher(Path jar, List<String> fallback) {
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

    @Override
    public Plan install(List<String> command, Duration interval) {
        return installer.install(command, interval);
    }

    @Override
    public Plan installDaemon(List<String> command) {
        return installer.installDaemon(command);
    }

    /** @throws IllegalArgumentException when planning for another machine: what is installed there cannot be read */
    @Override
    public Plan uninstall() throws IOException, InterruptedException {
        if (foreign) {
            throw new IllegalArgumentException("uninstall reads what is installed: run it on the Windows machine"
                    + " (with --dry-run to see the plan)");
        }
        return installer.uninstall();
    }

    @Override
    public void apply(Plan plan) throws IOException, InterruptedException {
        installer.apply(plan);
    }
}
