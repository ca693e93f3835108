package io.timesync.unix.service;

import io.timesync.unix.host.InitSystem;
import io.timesync.unix.host.RootPath;

import io.timesync.correct.CommandRunner;
import io.timesync.correct.Plan;
import io.timesync.files.AtomicFile;
import io.timesync.files.RawText;
import io.timesync.text.DurationText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Installs and removes the periodic run of TimeSync with the system's scheduler: systemd where it
 * is the init system ({@link InitSystem}; a service and a timer, checked with {@code systemd-analyze verify}, enabled with
 * {@code systemctl}), else cron ({@code /etc/cron.d}), else launchd on macOS. Plans first, so a dry
 * run prints exactly what would be done. With a root prefix, systemctl works on that tree
 * ({@code --root}) and nothing is started.
 */
public final class ServiceInstaller {

    /** Which scheduler. */
    public enum Scheduler { SYSTEMD, CRON, LAUNCHD }

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final CommandRunner runner;

    /** An installer for the system under {@code root}. */
    public ServiceInstaller(Path root, CommandRunner runner) {
        this.root = Objects.requireNonNull(root, "root");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /** The scheduler of the system under the root, or an exception saying none was found. */
    public Scheduler scheduler() throws IOException {
        if (InitSystem.detect(root) == InitSystem.SYSTEMD) {
            return Scheduler.SYSTEMD;
        }
        if (Files.isDirectory(under("/etc/cron.d"))) {
            return Scheduler.CRON;
        }
        if (Files.isDirectory(under("/Library/LaunchDaemons"))) {
            return Scheduler.LAUNCHD;
        }
        throw new IOException("no scheduler found under " + root + " (systemd, /etc/cron.d or /Library/LaunchDaemons)");
    }

    /**
     * The plan that installs a run of {@code command} every {@code interval}.
     *
     * @param minuteOffset where in the hour cron starts (spreads a fleet); ignored by the others
     */
    public Plan install(List<String> command, Duration interval, int minuteOffset) throws IOException {
        List<Plan.Step> steps = new ArrayList<>();
        switch (scheduler()) {
            case SYSTEMD -> {
                Path service = under("/etc/systemd/system/timesync.service");
                Path timer = under("/etc/systemd/system/timesync.timer");
                steps.add(new Plan.WriteFile(service, ServiceFiles.systemdService(command, ServiceFiles.INSTALLED, extraWritable())));
                steps.add(new Plan.WriteFile(timer, ServiceFiles.systemdTimer(interval)));
                steps.add(command("systemd-analyze", "verify", "--man=no", service.toString(), timer.toString()));
                if (isRealSystem()) {
                    steps.add(command("systemctl", "daemon-reload"));
                    steps.add(command("systemctl", "enable", "--now", "timesync.timer"));
                } else {
                    steps.add(command("systemctl", "--root=" + root, "enable", "timesync.timer"));
                }
            }
            case CRON -> steps.add(new Plan.WriteFile(under("/etc/cron.d/timesync"),
                    ServiceFiles.cronEntry(command, interval, minuteOffset)));
            case LAUNCHD -> {
                Path plist = under("/Library/LaunchDaemons/io.timesync.sync.plist");
                steps.add(new Plan.WriteFile(plist, ServiceFiles.launchdPlist(command, interval)));
                if (isRealSystem()) {
                    steps.add(command("launchctl", "bootstrap", "system", plist.toString()));
                }
            }
        }
        return new Plan(scheduler().name().toLowerCase(java.util.Locale.ROOT), steps,
                "run TimeSync every " + DurationText.of(interval));
    }

    /**
     * The plan that installs {@code command} (a {@code timesync daemon}) as a service kept running:
     * a systemd service enabled at boot, or a launchd job with KeepAlive. cron cannot supervise a
     * daemon, so a system with only cron is refused.
     */
    public Plan installDaemon(List<String> command) throws IOException {
        List<Plan.Step> steps = new ArrayList<>();
        switch (scheduler()) {
            case SYSTEMD -> {
                Path service = under("/etc/systemd/system/timesync.service");
                steps.add(new Plan.WriteFile(service, ServiceFiles.systemdDaemon(command, ServiceFiles.INSTALLED, extraWritable())));
                // A timer left from an earlier periodic install would start the daemon again and again.
                Path timer = under("/etc/systemd/system/timesync.timer");
                if (Files.exists(timer)) {
                    steps.add(isRealSystem() ? command("systemctl", "disable", "--now", "timesync.timer")
                            : command("systemctl", "--root=" + root, "disable", "timesync.timer"));
                    steps.add(new Plan.DeleteFile(timer));
                }
                steps.add(command("systemd-analyze", "verify", "--man=no", service.toString()));
                if (isRealSystem()) {
                    steps.add(command("systemctl", "daemon-reload"));
                    steps.add(command("systemctl", "enable", "--now", "timesync.service"));
                } else {
                    steps.add(command("systemctl", "--root=" + root, "enable", "timesync.service"));
                }
            }
            case CRON -> throw new IOException("cron cannot keep a daemon running: install the periodic runs (fast or lazy)"
                    + " instead, or use systemd");
            case LAUNCHD -> {
                Path plist = under("/Library/LaunchDaemons/io.timesync.sync.plist");
                steps.add(new Plan.WriteFile(plist, ServiceFiles.launchdDaemonPlist(command)));
                if (isRealSystem()) {
                    steps.add(command("launchctl", "bootstrap", "system", plist.toString()));
                }
            }
        }
        return new Plan(scheduler().name().toLowerCase(java.util.Locale.ROOT), steps, "keep the TimeSync agent running");
    }

    /** The plan that removes what {@link #install} put in place (files that are not there are skipped). */
    public Plan uninstall() throws IOException {
        List<Plan.Step> steps = new ArrayList<>();
        switch (scheduler()) {
            case SYSTEMD -> {
                Path timer = under("/etc/systemd/system/timesync.timer");
                if (Files.exists(timer)) {
                    steps.add(isRealSystem() ? command("systemctl", "disable", "--now", "timesync.timer")
                            : command("systemctl", "--root=" + root, "disable", "timesync.timer"));
                }
                Path service = under("/etc/systemd/system/timesync.service");
                String unit = RawText.read(service);
                if (unit != null && unit.contains("[Install]")) {
                    steps.add(isRealSystem() ? command("systemctl", "disable", "--now", "timesync.service")
                            : command("systemctl", "--root=" + root, "disable", "timesync.service"));
                }
                steps.add(new Plan.DeleteFile(timer));
                steps.add(new Plan.DeleteFile(service));
                if (isRealSystem()) {
                    steps.add(command("systemctl", "daemon-reload"));
                }
            }
            case CRON -> steps.add(new Plan.DeleteFile(under("/etc/cron.d/timesync")));
            case LAUNCHD -> {
                Path plist = under("/Library/LaunchDaemons/io.timesync.sync.plist");
                if (isRealSystem() && Files.exists(plist)) {
                    steps.add(command("launchctl", "bootout", "system/io.timesync.sync"));
                }
                steps.add(new Plan.DeleteFile(plist));
            }
        }
        return new Plan(scheduler().name().toLowerCase(java.util.Locale.ROOT), steps, "stop running TimeSync periodically");
    }

    /**
     * Carries out a plan from this installer. If a step fails, the files written so far are put
     * back as they were (or removed), so a failed install leaves nothing half-done.
     *
     * @throws IOException naming the step that failed and its output
     */
    public void apply(Plan plan) throws IOException, InterruptedException {
        List<Path> written = new ArrayList<>();
        List<String> previous = new ArrayList<>();
        try {
            for (Plan.Step step : plan.steps()) {
                if (step instanceof Plan.WriteFile w) {
                    previous.add(RawText.read(w.path()));
                    written.add(w.path());
                    AtomicFile.write(w.path(), RawText.bytes(w.content()));
                } else if (step instanceof Plan.DeleteFile d) {
                    Files.deleteIfExists(d.path());
                } else if (step instanceof Plan.RunCommand c) {
                    CommandRunner.Result result = runner.run(c.argv(), c.timeout());
                    if (!result.succeeded() || (c.argv().get(0).equals("systemd-analyze") && !result.stderr().isBlank())) {
                        throw new IOException(String.join(" ", c.argv()) + " failed (exit " + result.exitCode() + "): "
                                + (result.stderr() + result.stdout()).strip());
                    }
                } else {
                    throw new IllegalArgumentException("a service plan cannot contain " + step);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (int i = written.size() - 1; i >= 0; i--) {
                if (previous.get(i) == null) {
                    Files.deleteIfExists(written.get(i));
                } else {
                    AtomicFile.write(written.get(i), RawText.bytes(previous.get(i)));
                }
            }
            throw e;
        }
    }

    /**
     * What the confined service must also write here: {@code /etc} itself where the time service's
     * configuration lies directly in it (chrony.conf on Fedora and RHEL, a classic ntpd's ntp.conf),
     * because a file is replaced by renaming a new one into its directory.
     */
    List<String> extraWritable() throws IOException {
        boolean chronyInEtc = Files.exists(under("/etc/chrony.conf")) && !Files.exists(under("/etc/chrony/chrony.conf"));
        boolean ntpInEtc = Files.exists(under("/etc/ntp.conf")) && !Files.exists(under("/etc/ntpsec/ntp.conf"));
        return chronyInEtc || ntpInEtc ? List.of("/etc") : List.of();
    }

    private boolean isRealSystem() {
        return RootPath.isRealSystem(root);
    }

    // Resolved: a link in the target's directories cannot make an install write outside the root.
    private Path under(String path) throws IOException {
        return RootPath.of(root).resolve(path, "the scheduler's path");
    }

    private static Plan.RunCommand command(String... argv) {
        return new Plan.RunCommand(List.of(argv), COMMAND_TIMEOUT);
    }
}
