package io.timesync.cli;

import io.timesync.api.TimeSource;
import io.timesync.correct.Corrector;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.probe.Probe;
import io.timesync.unix.RootPath;
import io.timesync.unix.TimeServiceDetector;
import io.timesync.unix.TimeServiceDetector.Service;
import io.timesync.unix.chrony.ChronyConfig;
import io.timesync.unix.chrony.ChronyCorrector;
import io.timesync.unix.chrony.ChronyTrackingProbe;
import io.timesync.unix.chrony.Chronyc;
import io.timesync.unix.ntpsec.NtpqProbe;
import io.timesync.unix.ntpsec.NtpsecCorrector;
import io.timesync.unix.timesyncd.TimesyncdCorrector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The corrector for the time service of the system under a root prefix: the one place that picks it. */
final class Correctors {

    /** Where TimeSync keeps backups of the files it replaces, on the target system. */
    static final String BACKUPS = "/var/lib/timesync/backups";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Correctors() {
    }

    /**
     * The corrector for {@code forced} ({@code --service}), or for the service detected under {@code root}.
     *
     * @throws IOException with what to do, when the service is not supported, not installed or not usable
     */
    static Corrector forSystem(Path root, String forced, boolean dryRun) throws IOException, InterruptedException {
        Service service = service(root, forced);
        return switch (service) {
            case CHRONY -> chrony(root);
            case NTPD -> ntpsec(root, dryRun);
            case TIMESYNCD -> timesyncd(root, dryRun);
        };
    }

    /**
     * The service's own view of the clock, read without the network ({@code chronyc -c tracking},
     * {@code ntpq -c rv}), or empty when the service offers none TimeSync reads yet (systemd-timesyncd).
     *
     * @throws IOException when the service is not supported or chrony's configuration is missing
     */
    static Optional<Probe> serviceProbe(Path root, String forced) throws IOException, InterruptedException {
        return switch (service(root, forced)) {
            case CHRONY -> Optional.of(new ChronyTrackingProbe(chronyc(chronyConfig(root)), TimeSource.system()));
            case NTPD -> Optional.of(new NtpqProbe(List.of("ntpq", "-c", "rv"), new ProcessCommandRunner(),
                    TimeSource.system(), TIMEOUT));
            case TIMESYNCD -> Optional.empty();
        };
    }

    private static Service service(Path root, String forced) throws IOException, InterruptedException {
        if (forced != null) {
            return switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "chrony", "chronyd" -> Service.CHRONY;
                case "ntpsec", "ntp", "ntpd" -> Service.NTPD;
                case "timesyncd", "systemd-timesyncd" -> Service.TIMESYNCD;
                default -> throw new IOException("unknown time service '" + forced + "' (expected chrony, ntpsec or timesyncd)");
            };
        }
        return new TimeServiceDetector(root, new ProcessCommandRunner(), Duration.ofSeconds(5)).detect()
                .map(TimeServiceDetector.Found::service).orElse(Service.CHRONY);
    }

    private static ChronyConfig chronyConfig(Path root) throws IOException {
        return ChronyConfig.find(root).orElseThrow(() -> new IOException(
                "no chrony configuration under " + root + " (looked for " + String.join(", ", ChronyConfig.LOCATIONS)
                        + "): install chrony, or choose --root"));
    }

    private static Chronyc chronyc(ChronyConfig config) {
        return new Chronyc(Path.of("chronyc"), config.commandSocket(), new ProcessCommandRunner(), TIMEOUT);
    }

    /**
     * The corrector for the chronyd under {@code root}.
     *
     * @throws IOException with what to do, when chrony is not installed there or has no usable sourcedir
     */
    static ChronyCorrector chrony(Path root) throws IOException {
        ChronyConfig config = chronyConfig(root);
        Path dir = config.managedSourceDir(root).orElseThrow(() -> new IOException(config.file()
                + " has no persistent sourcedir: add 'sourcedir /etc/chrony/sources.d' to it (chrony 4) and restart chronyd"));
        Chronyc chronyc = chronyc(config);
        Path chronyd = Files.isExecutable(Path.of("/usr/sbin/chronyd")) ? Path.of("/usr/sbin/chronyd") : Path.of("chronyd");
        return new ChronyCorrector(dir.resolve("timesync.sources"), RootPath.under(root, BACKUPS), chronyd, chronyc,
                TimeSource.system(), TIMEOUT, 10);
    }

    /**
     * The corrector for systemd-timesyncd under {@code root}: a drop-in TimeSync owns. Under a root
     * other than this machine's only a plan can be made: the restart would act on this machine.
     */
    static TimesyncdCorrector timesyncd(Path root, boolean dryRun) throws IOException {
        requireRealSystemUnlessDryRun(root, dryRun, "systemd-timesyncd");
        return new TimesyncdCorrector(RootPath.under(root, "/etc/systemd/timesyncd.conf.d/timesync.conf"),
                RootPath.under(root, BACKUPS), new ProcessCommandRunner(), TimeSource.system(), Duration.ofSeconds(60),
                Duration.ofSeconds(30), 10);
    }

    private static void requireRealSystemUnlessDryRun(Path root, boolean dryRun, String service) throws IOException {
        if (!dryRun && !RootPath.isRealSystem(root)) {
            throw new IOException("under --root, " + service + "'s restart would act on this machine, not on " + root
                    + ": use --dry-run to see the plan");
        }
    }

    /**
     * The corrector for the ntpd (NTPsec, or classic ntp) under {@code root}. Under a root other than
     * this machine's only a plan can be made: ntpd's restart would act on this machine.
     */
    static NtpsecCorrector ntpsec(Path root, boolean dryRun) throws IOException {
        Path conf = null;
        for (String candidate : List.of("/etc/ntpsec/ntp.conf", "/etc/ntp.conf")) {
            Path file = RootPath.under(root, candidate);
            if (conf == null && Files.isRegularFile(file)) {
                conf = file;
            }
        }
        if (conf == null) {
            throw new IOException("no ntp.conf under " + root + " (looked for /etc/ntpsec/ntp.conf, /etc/ntp.conf)");
        }
        requireRealSystemUnlessDryRun(root, dryRun, "ntpd");
        String unit = conf.toString().contains("ntpsec") ? "ntpsec" : "ntp";
        return new NtpsecCorrector(conf, RootPath.under(root, BACKUPS), List.of("systemctl", "restart", unit),
                List.of("ntpq", "-pn"), new ProcessCommandRunner(), TimeSource.system(), Duration.ofSeconds(60),
                Duration.ofSeconds(30), 10);
    }
}
