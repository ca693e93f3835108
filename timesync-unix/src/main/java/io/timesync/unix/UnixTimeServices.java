package io.timesync.unix;

import io.timesync.unix.detect.TimeServiceDetector;
import io.timesync.unix.host.RootPath;
import io.timesync.correct.Corrector;
import io.timesync.platform.Host;
import io.timesync.platform.ServicePeer;
import io.timesync.platform.ServicePeers;
import io.timesync.platform.ServiceRequest;
import io.timesync.platform.ServiceState;
import io.timesync.probe.Probe;
import io.timesync.unix.detect.TimeServiceDetector.Service;
import io.timesync.unix.chrony.ChronyConfig;
import io.timesync.unix.chrony.ChronyCorrector;
import io.timesync.unix.chrony.ChronySource;
import io.timesync.unix.chrony.ChronyTrackingProbe;
import io.timesync.unix.chrony.Chronyc;
import io.timesync.unix.ntpsec.NtpqPeer;
import io.timesync.unix.ntpsec.NtpqProbe;
import io.timesync.unix.ntpsec.NtpsecCorrector;
import io.timesync.unix.timesyncd.TimesyncdCorrector;
import io.timesync.unix.timesyncd.TimesyncdProbe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Unix time services (chrony, ntpd, systemd-timesyncd, macOS timed) of the system under a root:
 * the one place that picks the service and assembles its corrector, its own view and its peers, every
 * tool run through the host's runner.
 */
final class UnixTimeServices {

    /** Where TimeSync keeps backups of the files it replaces, on the target system. */
    static final String BACKUPS = "/var/lib/timesync/backups";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DETECT_TIMEOUT = Duration.ofSeconds(5);

    private final Host host;
    private final Path root;

    UnixTimeServices(Host host, Path root) {
        this.host = host;
        this.root = root;
    }

    /**
     * The corrector for {@code forced} ({@code --service}), or for the service detected under the root.
     *
     * @throws IOException with what to do, when the service is not supported, not installed or not usable
     */
    Corrector corrector(ServiceRequest request) throws IOException, InterruptedException {
        return switch (service(request.service())) {
            case CHRONY -> chrony();
            case NTPD -> ntpsec(request.dryRun());
            case TIMESYNCD -> timesyncd(request.dryRun());
            case TIMED -> throw new IOException("macOS timed cannot be configured by TimeSync: install chrony"
                    + " (brew install chrony, or 'timesync setup'), run it, and sync again (or use --service chrony)");
        };
    }

    /**
     * The service's own view of the clock ({@code chronyc -c tracking}, {@code ntpq -c rv},
     * {@code timedatectl timesync-status}), or empty when it cannot be read from here (timesyncd under
     * another root, timed).
     */
    Optional<Probe> serviceProbe(String forced) throws IOException, InterruptedException {
        return switch (service(forced)) {
            case CHRONY -> Optional.of(new ChronyTrackingProbe(chronyc(chronyConfig()), host.time()));
            case NTPD -> Optional.of(new NtpqProbe(List.of("ntpq", "-c", "rv"), host.runner(), host.time(), TIMEOUT));
            // timedatectl asks this machine's timesyncd, which is not the one under another root.
            case TIMESYNCD -> RootPath.isRealSystem(root)
                    ? Optional.of(new TimesyncdProbe(List.of("timedatectl", "timesync-status"), host.runner(), host.time(), TIMEOUT))
                    : Optional.empty();
            case TIMED -> Optional.empty();
        };
    }

    /** Reads the sources of the service {@code forced} names, or of the one detected. */
    ServicePeers peers(String forced) throws IOException, InterruptedException {
        Service service = service(forced);
        return () -> sources(service);
    }

    /** The service found under the root, with its own view and, when it answers, its sources. */
    ServiceState state() throws InterruptedException {
        Optional<TimeServiceDetector.Found> found = new TimeServiceDetector(root, host.runner(), DETECT_TIMEOUT).detect();
        if (found.isEmpty()) {
            return new ServiceState("none", null, false, false, "no chrony, ntpd, systemd-timesyncd or timed found", null, null,
                    List.of());
        }
        TimeServiceDetector.Found f = found.get();
        return new ServiceState(f.service().name().toLowerCase(Locale.ROOT), f.variant(), f.installed(), f.active(), f.detail(),
                f.frequencyPpm(), f.tracking(), f.active() ? sources(f.service()) : List.of());
    }

    /**
     * The sources the service uses now, as it reports them ({@code chronyc -c sources}, or on this
     * machine {@code ntpq -pn}); empty when it does not answer or cannot tell (timesyncd).
     */
    List<ServicePeer> sources(Service service) throws InterruptedException {
        try {
            switch (service) {
                case CHRONY -> {
                    List<ServicePeer> rows = new ArrayList<>();
                    for (ChronySource c : chronyc(chronyConfig()).sources()) {
                        rows.add(new ServicePeer(c.address(), c.state().name().toLowerCase(Locale.ROOT),
                                c.stratum(), Integer.toOctalString(c.reach()), c.offsetNanos()));
                    }
                    return rows;
                }
                case NTPD -> {
                    if (!RootPath.isRealSystem(root)) {
                        return List.of();
                    }
                    var result = host.runner().run(List.of("ntpq", "-pn"), TIMEOUT);
                    if (!result.succeeded()) {
                        return List.of();
                    }
                    List<ServicePeer> rows = new ArrayList<>();
                    for (NtpqPeer p : NtpqPeer.parseAll(result.stdout())) {
                        rows.add(new ServicePeer(p.remote(), p.isSystemPeer() ? "selected" : String.valueOf(p.tally()),
                                p.stratum(), Integer.toOctalString(p.reach()), p.offsetNanos()));
                    }
                    return rows;
                }
                default -> {
                    return List.of();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
    }

    private Service service(String forced) throws IOException, InterruptedException {
        if (forced != null) {
            return switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "chrony", "chronyd" -> Service.CHRONY;
                case "ntpsec", "ntp", "ntpd" -> Service.NTPD;
                case "timesyncd", "systemd-timesyncd" -> Service.TIMESYNCD;
                default -> throw new IOException("unknown time service '" + forced + "' (expected chrony, ntpsec or timesyncd)");
            };
        }
        return new TimeServiceDetector(root, host.runner(), DETECT_TIMEOUT).detect()
                .map(TimeServiceDetector.Found::service).orElse(Service.CHRONY);
    }

    private ChronyConfig chronyConfig() throws IOException {
        return ChronyConfig.find(root).orElseThrow(() -> new IOException(
                "no chrony configuration under " + root + " (looked for " + String.join(", ", ChronyConfig.LOCATIONS)
                        + "): install chrony, or choose --root"));
    }

    private Chronyc chronyc(ChronyConfig config) {
        return RootPath.isRealSystem(root)
                ? Chronyc.ofThisMachine(Path.of("chronyc"), config.commandSocket(), host.runner(), TIMEOUT)
                : new Chronyc(Path.of("chronyc"), config.commandSocket(), host.runner(), TIMEOUT);
    }

    /**
     * The corrector for the chronyd under the root. Its servers go into {@code timesync.sources} in its
     * persistent sourcedir, or, without one (chrony before 4), into a managed block in chrony.conf.
     *
     * @throws IOException with what to do, when chrony is not installed there
     */
    private ChronyCorrector chrony() throws IOException {
        ChronyConfig config = chronyConfig();
        Chronyc chronyc = chronyc(config);
        Path chronyd = Files.isExecutable(Path.of("/usr/sbin/chronyd")) ? Path.of("/usr/sbin/chronyd") : Path.of("chronyd");
        Optional<Path> dir = config.managedSourceDir();
        Path backups = backups();
        if (dir.isEmpty()) {
            return ChronyCorrector.inChronyConf(config.file(), backups, chronyd, chronyc, host.time(), host.sleeper(), TIMEOUT, 10);
        }
        Path sources = RootPath.of(root).resolve(dir.get().resolve("timesync.sources"), "TimeSync's chrony sources file");
        return new ChronyCorrector(sources, backups, chronyd, chronyc, host.time(), host.sleeper(), TIMEOUT, 10);
    }

    // Where backups go, resolved: a link there cannot send them outside the root.
    private Path backups() throws IOException {
        return RootPath.of(root).resolve(BACKUPS, "TimeSync's backup directory");
    }

    /**
     * The corrector for systemd-timesyncd under the root: a drop-in TimeSync owns. Under a root other
     * than this machine's only a plan can be made: the restart would act on this machine.
     */
    private TimesyncdCorrector timesyncd(boolean dryRun) throws IOException {
        requireRealSystemUnlessDryRun(dryRun, "systemd-timesyncd");
        return new TimesyncdCorrector(RootPath.of(root).resolve("/etc/systemd/timesyncd.conf.d/timesync.conf",
                "TimeSync's timesyncd drop-in"), backups(), host.runner(), host.time(), host.sleeper(), Duration.ofSeconds(60),
                Duration.ofSeconds(30), 10);
    }

    private void requireRealSystemUnlessDryRun(boolean dryRun, String service) throws IOException {
        if (!dryRun && !RootPath.isRealSystem(root)) {
            throw new IOException("under --root, " + service + "'s restart would act on this machine, not on " + root
                    + ": use --dry-run to see the plan");
        }
    }

    /**
     * The corrector for the ntpd (NTPsec, or classic ntp) under the root. Under a root other than this
     * machine's only a plan can be made: ntpd's restart would act on this machine.
     */
    private NtpsecCorrector ntpsec(boolean dryRun) throws IOException {
        Path conf = null;
        for (String candidate : List.of("/etc/ntpsec/ntp.conf", "/etc/ntp.conf")) {
            Path file = conf == null ? RootPath.of(root).resolve(candidate, "ntpd's configuration") : null;
            if (file != null && Files.isRegularFile(file)) {
                conf = file;
            }
        }
        if (conf == null) {
            throw new IOException("no ntp.conf under " + root + " (looked for /etc/ntpsec/ntp.conf, /etc/ntp.conf)");
        }
        requireRealSystemUnlessDryRun(dryRun, "ntpd");
        String unit = conf.toString().contains("ntpsec") ? "ntpsec" : "ntp";
        return new NtpsecCorrector(conf, backups(), List.of("systemctl", "restart", unit),
                List.of("ntpq", "-pn"), host.runner(), host.time(), host.sleeper(), Duration.ofSeconds(60),
                Duration.ofSeconds(30), 10);
    }
}
