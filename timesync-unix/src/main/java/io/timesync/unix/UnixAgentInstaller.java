package io.timesync.unix;

import io.timesync.correct.Plan;
import io.timesync.platform.AgentInstaller;
import io.timesync.unix.service.ServiceInstaller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** TimeSync's periodic run or daemon as a systemd unit, a cron entry or a launchd job ({@link ServiceInstaller}). */
final class UnixAgentInstaller implements AgentInstaller {

    private final ServiceInstaller installer;

    UnixAgentInstaller(ServiceInstaller installer) {
        this.installer = installer;
    }

    /**
     * {@code exec}; else the launcher that started this run ({@code bin/timesync} exports
     * {@code TIMESYNC_LAUNCHER}: a unit that runs {@code /usr/bin/timesync} survives Java upgrades that
     * move the JVM); else this JVM with {@code jar}.
     */
    @Override
    public List<String> launcher(Path exec, Path jar, Map<String, String> env) {
        if (exec != null) {
            return List.of(exec.toAbsolutePath().normalize().toString());
        }
        String started = env.get("TIMESYNC_LAUNCHER");
        if (started != null && started.startsWith("/") && Files.isExecutable(Path.of(started))) {
            return List.of(Path.of(started).normalize().toString());
        }
        if (jar == null) {
            throw new IllegalArgumentException("cannot tell which jar runs TimeSync; pass --exec PATH");
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString());
    }

    /** A random minute offset spreads a fleet's runs. */
    @Override
    public Plan install(List<String> command, Duration interval) throws IOException {
        return installer.install(command, interval, new SecureRandom().nextInt(60));
    }

    @Override
    public Plan installDaemon(List<String> command) throws IOException {
        return installer.installDaemon(command);
    }

    @Override
    public Plan uninstall() throws IOException {
        return installer.uninstall();
    }

    @Override
    public void apply(Plan plan) throws IOException, InterruptedException {
        installer.apply(plan);
    }
}
