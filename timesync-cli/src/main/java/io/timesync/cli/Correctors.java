package io.timesync.cli;

import io.timesync.api.Mode;
import io.timesync.api.ServerAddress;
import io.timesync.api.TimeSource;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.platform.Platform;
import io.timesync.probe.Probe;
import io.timesync.unix.RootPath;
import io.timesync.unix.TimeServiceDetector;
import io.timesync.unix.TimeServiceDetector.Service;
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
import io.timesync.windows.CommandFailure;
import io.timesync.windows.w32time.StripchartProbe;
import io.timesync.windows.w32time.W32TimeCorrector;
import io.timesync.windows.w32time.W32TimeProbe;
import io.timesync.windows.w32time.W32TimeSettings;

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
    // w32tm /resync waits for the sync; sc start waits for the service.
    private static final Duration W32TIME_TIMEOUT = Duration.ofSeconds(60);

    private Correctors() {
    }

    /**
     * The corrector for {@code platform}: w32time on Windows (planned only, without asking the machine,
     * when {@code foreign}: TimeSync runs on another OS), its tools run through {@code machine}'s runner;
     * else as {@link #forSystem}.
     *
     * @param forceDomain whether to reconfigure a Windows domain member anyway
     * @param mode        the mode, which sets w32time's poll range
     * @throws IOException with what to do, when the service is not supported, not installed or not usable
     */
    static Corrector forPlatform(Machine machine, Platform platform, boolean foreign, Path root, String forced, boolean dryRun, boolean forceDomain,
                                 Mode mode) throws IOException, InterruptedException {
        if (!platform.name().equals("windows")) {
            return forSystem(root, forced, dryRun);
        }
        if (forced != null && !List.of("w32time", "windows-time").contains(forced.trim().toLowerCase(Locale.ROOT))) {
            throw new IOException("on Windows the time service is w32time, not '" + forced + "'");
        }
        W32TimeSettings settings = W32TimeSettings.forMode(mode, CorrectionPolicy.defaults().panicBound());
        if (foreign) {
            return W32TimeCorrector.forReview(settings, W32TIME_TIMEOUT, forceDomain);
        }
        Path backups = platform.stateDirectory(true, machine.env(), machine.userHome()).resolve("backups");
        return new W32TimeCorrector(settings, backups, machine.runner(), TimeSource.system(), W32TIME_TIMEOUT, 10,
                forceDomain);
    }

    /**
     * What measures the skew when TimeSync's own probe gets no answer: on Windows, {@code w32tm
     * /stripchart} of each candidate's host (port 123, the one w32time will use; the first four hosts,
     * each run bounded by its timeout); nothing elsewhere, nor for a Windows machine reviewed from another OS.
     */
    static List<SkewFallback.Candidate> skewFallbacks(Machine machine, Platform platform, boolean foreign,
                                                      List<ServerAddress> candidates, int samples) {
        if (!platform.name().equals("windows") || foreign) {
            return List.of();
        }
        int n = Math.max(1, Math.min(samples, 100));
        Duration timeout = Duration.ofSeconds(5L * n + 10);
        java.util.Map<String, SkewFallback.Candidate> byHost = new java.util.LinkedHashMap<>();
        for (ServerAddress server : candidates) {
            ServerAddress asked = new ServerAddress(server.host(), ServerAddress.NTP_PORT);
            if (byHost.size() < 4) {
                byHost.putIfAbsent(asked.host(), new SkewFallback.Candidate(asked.toString(),
                        new StripchartProbe(asked, n, machine.runner(), TimeSource.system(), timeout)));
            }
        }
        return List.copyOf(byHost.values());
    }

    /** Whether {@code e} (or its cause) is Windows refusing for lack of elevation. */
    static boolean needsElevation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CommandFailure f && f.accessDenied()) {
                return true;
            }
        }
        return false;
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
            case TIMED -> throw new IOException("macOS timed cannot be configured by TimeSync: install chrony"
                    + " (brew install chrony, or 'timesync setup'), run it, and sync again (or use --service chrony)");
        };
    }

    /**
     * The service's own view of the clock, read without the network ({@code chronyc -c tracking},
     * {@code ntpq -c rv}, {@code timedatectl timesync-status}, {@code w32tm /query /status}), or empty
     * when it cannot be read from here (timesyncd under another root, w32time from another OS).
     *
     * @throws IOException when the service is not supported or chrony's configuration is missing
     */
    static Optional<Probe> serviceProbe(Machine machine, Platform platform, boolean foreign, Path root, String forced)
            throws IOException, InterruptedException {
        if (platform.name().equals("windows")) {
            // On another OS there is no w32time to read.
            return foreign ? Optional.empty()
                    : Optional.of(new W32TimeProbe(machine.runner(), TimeSource.system(), W32TIME_TIMEOUT));
        }
        return switch (service(root, forced)) {
            case CHRONY -> Optional.of(new ChronyTrackingProbe(chronyc(root, chronyConfig(root)), TimeSource.system()));
            case NTPD -> Optional.of(new NtpqProbe(List.of("ntpq", "-c", "rv"), new ProcessCommandRunner(),
                    TimeSource.system(), TIMEOUT));
            // timedatectl asks this machine's timesyncd, which is not the one under another root.
            case TIMESYNCD -> RootPath.isRealSystem(root)
                    ? Optional.of(new TimesyncdProbe(List.of("timedatectl", "timesync-status"), new ProcessCommandRunner(),
                            TimeSource.system(), TIMEOUT))
                    : Optional.empty();
            case TIMED -> Optional.empty();
        };
    }

    /**
     * Reads the sources of the service under {@code root} whenever asked ({@link #sources}), for the
     * telemetry's sync reports; empty on Windows, where w32time's reading names its one source.
     *
     * @throws IOException when the service is not supported
     */
    static Optional<TelemetryLog.Peers> peers(Platform platform, Path root, String forced) throws IOException, InterruptedException {
        if (platform.name().equals("windows")) {
            return Optional.empty();
        }
        Service service = service(root, forced);
        return Optional.of(() -> sources(root, service));
    }

    /**
     * The sources the service under {@code root} uses now, as it reports them ({@code chronyc -c sources},
     * or on this machine {@code ntpq -pn}); empty when it does not answer or cannot tell (timesyncd).
     */
    static List<StatusCommand.SourceRow> sources(Path root, Service service) throws InterruptedException {
        try {
            switch (service) {
                case CHRONY -> {
                    List<StatusCommand.SourceRow> rows = new java.util.ArrayList<>();
                    for (ChronySource c : chronyc(root, chronyConfig(root)).sources()) {
                        rows.add(new StatusCommand.SourceRow(c.address(), c.state().name().toLowerCase(Locale.ROOT),
                                c.stratum(), Integer.toOctalString(c.reach()), c.offsetNanos()));
                    }
                    return rows;
                }
                case NTPD -> {
                    if (!RootPath.isRealSystem(root)) {
                        return List.of();
                    }
                    var result = new ProcessCommandRunner().run(List.of("ntpq", "-pn"), TIMEOUT);
                    if (!result.succeeded()) {
                        return List.of();
                    }
                    List<StatusCommand.SourceRow> rows = new java.util.ArrayList<>();
                    for (NtpqPeer p : NtpqPeer.parseAll(result.stdout())) {
                        rows.add(new StatusCommand.SourceRow(p.remote(), p.isSystemPeer() ? "selected" : String.valueOf(p.tally()),
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

    private static Chronyc chronyc(Path root, ChronyConfig config) {
        return RootPath.isRealSystem(root)
                ? Chronyc.ofThisMachine(Path.of("chronyc"), config.commandSocket(), new ProcessCommandRunner(), TIMEOUT)
                : new Chronyc(Path.of("chronyc"), config.commandSocket(), new ProcessCommandRunner(), TIMEOUT);
    }

    /**
     * The corrector for the chronyd under {@code root}.
     *
     * Its servers go into {@code timesync.sources} in its persistent sourcedir, or, without one (chrony
     * before 4), into a managed block in chrony.conf.
     *
     * @throws IOException with what to do, when chrony is not installed there
     */
    static ChronyCorrector chrony(Path root) throws IOException {
        ChronyConfig config = chronyConfig(root);
        Chronyc chronyc = chronyc(root, config);
        Path chronyd = Files.isExecutable(Path.of("/usr/sbin/chronyd")) ? Path.of("/usr/sbin/chronyd") : Path.of("chronyd");
        Optional<Path> dir = config.managedSourceDir();
        Path backups = backups(root);
        if (dir.isEmpty()) {
            return ChronyCorrector.inChronyConf(config.file(), backups, chronyd, chronyc, TimeSource.system(), TIMEOUT, 10);
        }
        Path sources = RootPath.of(root).resolve(dir.get().resolve("timesync.sources"), "TimeSync's chrony sources file");
        return new ChronyCorrector(sources, backups, chronyd, chronyc, TimeSource.system(), TIMEOUT, 10);
    }

    // Where backups go, resolved: a link there cannot send them outside the root.
    private static Path backups(Path root) throws IOException {
        return RootPath.of(root).resolve(BACKUPS, "TimeSync's backup directory");
    }

    /**
     * The corrector for systemd-timesyncd under {@code root}: a drop-in TimeSync owns. Under a root
     * other than this machine's only a plan can be made: the restart would act on this machine.
     */
    static TimesyncdCorrector timesyncd(Path root, boolean dryRun) throws IOException {
        requireRealSystemUnlessDryRun(root, dryRun, "systemd-timesyncd");
        return new TimesyncdCorrector(RootPath.of(root).resolve("/etc/systemd/timesyncd.conf.d/timesync.conf",
                "TimeSync's timesyncd drop-in"), backups(root), new ProcessCommandRunner(), TimeSource.system(), Duration.ofSeconds(60),
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
            Path file = conf == null ? RootPath.of(root).resolve(candidate, "ntpd's configuration") : null;
            if (file != null && Files.isRegularFile(file)) {
                conf = file;
            }
        }
        if (conf == null) {
            throw new IOException("no ntp.conf under " + root + " (looked for /etc/ntpsec/ntp.conf, /etc/ntp.conf)");
        }
        requireRealSystemUnlessDryRun(root, dryRun, "ntpd");
        String unit = conf.toString().contains("ntpsec") ? "ntpsec" : "ntp";
        return new NtpsecCorrector(conf, backups(root), List.of("systemctl", "restart", unit),
                List.of("ntpq", "-pn"), new ProcessCommandRunner(), TimeSource.system(), Duration.ofSeconds(60),
                Duration.ofSeconds(30), 10);
    }
}
