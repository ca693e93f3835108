package io.timesync.unix.detect;

import io.timesync.unix.host.RootPath;
import io.timesync.correct.CommandRunner;
import io.timesync.unix.chrony.ChronyConfig;
import io.timesync.unix.chrony.ChronyTracking;
import io.timesync.unix.chrony.Chronyc;
import io.timesync.unix.ntpsec.NtpdVariant;
import io.timesync.unix.ntpsec.NtpqVariables;
import io.timesync.unix.timesyncd.TimesyncProperties;
import io.timesync.unix.timesyncd.TimesyncdCorrector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds which time services are installed and which one runs, from the services' own files and
 * tools: chrony (chrony.conf, {@code chronyc -c tracking} on its command socket), ntpd / NTPsec
 * (ntp.conf, {@code ntpq -c rv}, else its pid file; which ntpd from {@code ntpd --version} or its
 * files, see {@link NtpdVariant}) and systemd-timesyncd (its unit file, {@code systemctl is-active},
 * {@code timedatectl show-timesync --all}). Files are looked up under a root prefix; a tool that is
 * missing or does not answer means "not running", never an error.
 */
public final class TimeServiceDetector {

    private static final Logger log = LoggerFactory.getLogger(TimeServiceDetector.class);
    private static final List<String> NTP_CONFS = List.of("/etc/ntpsec/ntp.conf", "/etc/ntp.conf");
    // Where Debian's and Red Hat's ntpd units (NTPsec and classic) have ntpd write its pid (-p).
    private static final List<String> NTPD_PID_FILES = List.of("/run/ntpd.pid", "/var/run/ntpd.pid");
    private static final List<String> TIMESYNCD_UNITS = List.of("/lib/systemd/system/systemd-timesyncd.service",
            "/usr/lib/systemd/system/systemd-timesyncd.service", "/etc/systemd/system/systemd-timesyncd.service");

    /** The services TimeSync knows on Unix (TIMED: macOS's own, found but not driven). */
    public enum Service { CHRONY, NTPD, TIMESYNCD, TIMED }

    /**
     * What was found of one service.
     *
     * @param service   which
     * @param installed whether its configuration or unit is there
     * @param active    whether it answered
     * @param detail    what was found, for people (the file, the tool's answer or why it is taken as not running)
     * @param tracking  chrony's tracking state when chrony answered, else null
     * @param variant   which implementation, when the service has several and it could be told
     *                  ({@code ntpsec} or {@code ntp} for ntpd, see {@link NtpdVariant}), else null
     * @param frequencyPpm the service's frequency correction as it reports it, or null when unknown:
     *                  chrony's tracking frequency (positive: the clock would run fast without chronyd),
     *                  ntpd's {@code frequency} variable, timesyncd's {@code Frequency=} (the kernel's
     *                  frequency adjustment, positive: the clock is sped up)
     */
    public record Found(Service service, boolean installed, boolean active, String detail, ChronyTracking tracking,
                        String variant, Double frequencyPpm) {

        /** A service with one implementation, its frequency from chrony's tracking when there is one. */
        public Found(Service service, boolean installed, boolean active, String detail, ChronyTracking tracking) {
            this(service, installed, active, detail, tracking, null, tracking == null ? null : tracking.frequencyPpm());
        }
    }

    private final Path root;
    private final CommandRunner runner;
    private final Duration timeout;

    /** A detector for the system under {@code root} ("/" for this one). */
    public TimeServiceDetector(Path root, CommandRunner runner, Duration timeout) {
        this.root = Objects.requireNonNull(root, "root");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Every known service, installed or not, in the order above. */
    public List<Found> detectAll() throws InterruptedException {
        List<Found> found = new ArrayList<>();
        found.add(chrony());
        found.add(ntpd());
        found.add(timesyncd());
        found.add(timed());
        return found;
    }

    /** The service that runs (the first that answers), else the first installed, else empty. */
    public Optional<Found> detect() throws InterruptedException {
        List<Found> all = detectAll();
        return all.stream().filter(Found::active).findFirst().or(() -> all.stream().filter(Found::installed).findFirst());
    }

    private Found chrony() throws InterruptedException {
        Optional<ChronyConfig> config;
        try {
            config = ChronyConfig.find(root);
        } catch (IOException e) {
            return new Found(Service.CHRONY, true, false, "cannot read chrony.conf: " + e.getMessage(), null);
        }
        if (config.isEmpty()) {
            return new Found(Service.CHRONY, false, false, "no chrony.conf", null);
        }
        Chronyc chronyc = RootPath.isRealSystem(root)
                ? Chronyc.ofThisMachine(Path.of("chronyc"), config.get().commandSocket(), runner, timeout)
                : new Chronyc(Path.of("chronyc"), config.get().commandSocket(), runner, timeout);
        try {
            ChronyTracking tracking = chronyc.tracking();
            return new Found(Service.CHRONY, true, true, "chronyd answers (" + config.get().file() + ")", tracking);
        } catch (IOException | IllegalArgumentException e) {
            log.debug("chronyd does not answer: {}", e.toString());
            return new Found(Service.CHRONY, true, false, "chronyd does not answer: " + firstLine(e.getMessage()), null);
        }
    }

    private Found ntpd() throws InterruptedException {
        Optional<Path> conf = firstExisting(NTP_CONFS);
        if (conf.isEmpty()) {
            return new Found(Service.NTPD, false, false, "no ntp.conf", null);
        }
        CommandRunner.Result rv = run(List.of("ntpq", "-c", "rv"));
        Optional<NtpdVariant> told = NtpdVariant.fromVersion(succeeded(rv));
        if (told.isEmpty()) {
            told = NtpdVariant.fromVersion(anyOutput(run(List.of("ntpd", "--version"))));
        }
        String variant = told.or(() -> NtpdVariant.fromFiles(root)).map(NtpdVariant::label).orElse(null);
        return ntpd(conf.get(), rv, variant, runningPid(NTPD_PID_FILES, "ntpd"));
    }

    /** As {@link #ntpd(Path, CommandRunner.Result, String, Optional)} with no variant known and no pid file. */
    public static Found ntpd(Path conf, CommandRunner.Result ntpqRv) {
        return ntpd(conf, ntpqRv, null, Optional.empty());
    }

    /**
     * ntpd / NTPsec, configured in {@code conf}, as {@code ntpq -c rv} ran (null when it was not asked or
     * did not start). Only the system variables ({@code associd=...}) mean it answered: NTPsec's ntpq
     * exits 0 when no ntpd does, with a socket error on stderr. A live pid file still counts as running.
     */
    static Found ntpd(Path conf, CommandRunner.Result ntpqRv, String variant, Optional<String> runningPid) {
        String answer = succeeded(ntpqRv);
        if (answer != null && answer.contains("associd=")) {
            Double frequency;
            try {
                frequency = NtpqVariables.parse(answer).frequencyPpm();
            } catch (IllegalArgumentException e) {
                frequency = null;
            }
            return new Found(Service.NTPD, true, true, "ntpd answers (" + conf + ")", null, variant, frequency);
        }
        return new Found(Service.NTPD, true, runningPid.isPresent(), runningPid.map(p -> "ntpd runs (" + p
                + ") but ntpq does not answer (" + conf + ")").orElse("ntpd does not answer (" + conf + ")"), null, variant, null);
    }

    /**
     * The first pid file (under the root) naming a live process called {@code name}, as
     * "pid N from FILE"; the process is looked up in the root's {@code /proc}, which is this
     * machine's on the real system.
     */
    private Optional<String> runningPid(List<String> pidFiles, String name) {
        for (String pidFile : pidFiles) {
            try {
                RootPath under = RootPath.of(root);
                Path file = under.resolve(pidFile, "pid file");
                String pid = head(file);
                if (pid.matches("[1-9][0-9]{0,9}") && head(under.resolve("/proc/" + pid + "/comm", "process name")).equals(name)) {
                    return Optional.of("pid " + pid + " from " + file);
                }
            } catch (IOException e) {
                log.debug("no live {} from {}: {}", name, pidFile, e.toString());
            }
        }
        return Optional.empty();
    }

    // The first bytes of a small file, stripped: a pid file that is a device or huge cannot stall detection.
    private static String head(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file");
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(64), java.nio.charset.StandardCharsets.UTF_8).strip();
        }
    }

    private Found timesyncd() throws InterruptedException {
        Optional<Path> unit = firstExisting(TIMESYNCD_UNITS);
        if (unit.isEmpty()) {
            return new Found(Service.TIMESYNCD, false, false, "no systemd-timesyncd unit", null);
        }
        CommandRunner.Result isActive = run(List.of("systemctl", "is-active", "systemd-timesyncd"));
        Double frequency = null;
        if (timesyncd(unit.get(), isActive).active()) {
            try {
                double ppm = TimesyncProperties.parse(Objects.requireNonNullElse(succeeded(run(TimesyncdCorrector.SHOW)), ""))
                        .frequencyPpm();
                frequency = Double.isNaN(ppm) ? null : ppm;
            } catch (IllegalArgumentException e) {
                log.debug("timedatectl show-timesync: {}", e.toString());
            }
        }
        return timesyncd(unit.get(), isActive, frequency);
    }

    /** As {@link #timesyncd(Path, CommandRunner.Result, Double)} with the frequency unknown. */
    public static Found timesyncd(Path unit, CommandRunner.Result isActive) {
        return timesyncd(unit, isActive, null);
    }

    /**
     * systemd-timesyncd, its unit at {@code unit}, as {@code systemctl is-active systemd-timesyncd} ran
     * (null when it was not asked or did not start): active when it exits 0 printing {@code active}.
     */
    static Found timesyncd(Path unit, CommandRunner.Result isActive, Double frequencyPpm) {
        String answer = succeeded(isActive);
        boolean active = answer != null && answer.strip().equals("active");
        return new Found(Service.TIMESYNCD, true, active, active ? "systemd-timesyncd is active"
                : "systemd-timesyncd is not active (" + unit + ")", null, null, active ? frequencyPpm : null);
    }

    // macOS: timed (since 10.14; sntp on the command line) is launchd's com.apple.timed.
    private Found timed() throws InterruptedException {
        if (!Files.isRegularFile(RootPath.under(root, "/usr/libexec/timed"))) {
            return new Found(Service.TIMED, false, false, "no /usr/libexec/timed", null);
        }
        CommandRunner.Result launchctl = run(List.of("launchctl", "print", "system/com.apple.timed"));
        boolean active = launchctl != null && launchctl.succeeded();
        return new Found(Service.TIMED, true, active, active ? "macOS timed is running"
                : "macOS timed is installed, not seen running", null);
    }

    private Optional<Path> firstExisting(List<String> paths) {
        return paths.stream().map(p -> RootPath.under(root, p)).filter(Files::isRegularFile).findFirst();
    }

    /** The stdout of a tool that ran and succeeded, else null. */
    private static String succeeded(CommandRunner.Result result) {
        return result != null && result.succeeded() ? result.stdout() : null;
    }

    /** All a tool printed, whatever its exit (a version may come on stderr, with a non-zero exit). */
    private static String anyOutput(CommandRunner.Result result) {
        return result == null ? null : result.stdout() + result.stderr();
    }

    /** How the tool ran, or null when it did not start. Only the real system's tools are asked. */
    private CommandRunner.Result run(List<String> argv) throws InterruptedException {
        if (!RootPath.isRealSystem(root)) {
            // Under another root the local tools would answer for this machine, not for that system.
            return null;
        }
        try {
            return runner.run(argv, timeout);
        } catch (IOException e) {
            log.debug("{} did not run: {}", argv, e.toString());
            return null;
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
