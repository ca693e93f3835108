package io.timesync.windows;

import io.timesync.time.ServerAddress;
import io.timesync.time.Measurement;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.platform.AgentInstaller;
import io.timesync.platform.BuiltInService;
import io.timesync.platform.ServiceSetup;
import io.timesync.platform.SetupRefusal;
import io.timesync.platform.SetupRequest;
import io.timesync.platform.Host;
import io.timesync.platform.Platform;
import io.timesync.platform.ServiceDiagnosis;
import io.timesync.platform.ServicePeers;
import io.timesync.platform.ServiceRequest;
import io.timesync.platform.ServiceState;
import io.timesync.probe.Probe;
import io.timesync.windows.service.WindowsAgentInstaller;
import io.timesync.windows.service.WindowsServiceInstaller;
import io.timesync.windows.w32time.StripchartProbe;
import io.timesync.windows.w32time.W32TimeCorrector;
import io.timesync.windows.w32time.W32TimeProbe;
import io.timesync.windows.w32time.W32TimeSettings;
import io.timesync.windows.w32time.CommandFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Windows: state (the memo JSON, backups) and logs ({@code status.log}) together in
 * {@code %ProgramData%\TimeSync\} when running elevated as Administrator or as SYSTEM, in
 * {@code %LOCALAPPDATA%\TimeSync\} otherwise.
 */
public final class WindowsPlatform implements Platform {

    /** {@code whoami /groups}: the groups of this process's token, its integrity level among them. */
    public static final List<String> WHOAMI_GROUPS = List.of("whoami", "/groups");
    // The integrity levels of an elevated token (High) and of SYSTEM; the SIDs are not localised.
    private static final List<String> ELEVATED_LABELS = List.of("S-1-16-12288", "S-1-16-16384");
    private static final Duration WHOAMI_TIMEOUT = Duration.ofSeconds(10);
    // w32tm /resync waits for the sync; sc start waits for the service.
    private static final Duration W32TIME_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(WindowsPlatform.class);

    @Override
    public String name() {
        return "windows";
    }

    @Override
    public boolean supports(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    @Override
    public boolean privileged(String userName) {
        // "SYSTEM" is the service account; Administrators cannot be told from Java without JNI.
        return "SYSTEM".equalsIgnoreCase(userName);
    }

    /**
     * SYSTEM, or a token whose integrity level is High (an Administrator's elevated prompt), as
     * {@code whoami /groups} shows it; a non-elevated Administrator runs at Medium and is not.
     */
    @Override
    public boolean privileged(String userName, CommandRunner runner) throws InterruptedException {
        if (privileged(userName)) {
            return true;
        }
        try {
            CommandRunner.Result result = runner.run(WHOAMI_GROUPS, WHOAMI_TIMEOUT);
            return result.succeeded() && elevated(result.stdout());
        } catch (IOException e) {
            log.debug("whoami /groups did not run: {}", e.getMessage());
            return false;
        }
    }

    /** Whether the output of {@code whoami /groups} shows an elevated token (integrity level High or System). */
    public static boolean elevated(String whoamiGroups) {
        return ELEVATED_LABELS.stream().anyMatch(whoamiGroups::contains);
    }

    /** Elevation is refused by Windows itself, and TimeSync reports that refusal. */
    @Override
    public boolean knowsPrivilege() {
        return false;
    }

    @Override
    public Path stateDirectory(boolean privileged, Map<String, String> env, Path userHome) {
        return base(privileged, env, userHome);
    }

    @Override
    public Path logDirectory(boolean privileged, Map<String, String> env, Path userHome) {
        // One directory for the memo and status.log, as the scheduled task and the elevated prompt share it.
        return base(privileged, env, userHome);
    }

    private static Path base(boolean privileged, Map<String, String> env, Path userHome) {
        if (privileged) {
            return Path.of(env.getOrDefault("ProgramData", "C:\\ProgramData"), "TimeSync");
        }
        String local = env.get("LOCALAPPDATA");
        return local != null ? Path.of(local, "TimeSync") : userHome.resolve("AppData").resolve("Local").resolve("TimeSync");
    }

    /**
     * w32time's corrector: planned only, without asking the machine, when the host is foreign (TimeSync
     * runs on another OS); its backups in the machine-wide state directory.
     */
    @Override
    public Corrector corrector(Host host, ServiceRequest request) throws IOException {
        String forced = request.service();
        if (forced != null && !List.of("w32time", "windows-time").contains(forced.trim().toLowerCase(Locale.ROOT))) {
            throw new IOException("on Windows the time service is w32time, not '" + forced + "'");
        }
        W32TimeSettings settings = W32TimeSettings.forMode(request.mode(), CorrectionPolicy.defaults().panicBound());
        if (host.foreign()) {
            return W32TimeCorrector.forReview(settings, W32TIME_TIMEOUT, request.forceDomain());
        }
        Path backups = stateDirectory(true, host.env(), host.userHome()).resolve("backups");
        return new W32TimeCorrector(settings, backups, host.runner(), host.time(), W32TIME_TIMEOUT, 10, request.forceDomain());
    }

    /** {@code w32tm /query /status}; on another OS there is no w32time to read. */
    @Override
    public Optional<Probe> serviceProbe(Host host, ServiceRequest request) {
        return host.foreign() ? Optional.empty() : Optional.of(new W32TimeProbe(host.runner(), host.time(), W32TIME_TIMEOUT));
    }

    /** None: w32time's reading names its one source. */
    @Override
    public Optional<ServicePeers> peers(Host host, ServiceRequest request) {
        return Optional.empty();
    }

    /** w32time's own view, through its probe ({@code w32tm /query /status /verbose}). */
    @Override
    public ServiceState serviceState(Host host, Path root) throws InterruptedException {
        Measurement m = new W32TimeProbe(host.runner(), host.time(), W32TIME_TIMEOUT).measure();
        return m.answered()
                ? new ServiceState("w32time", null, true, true, String.format(Locale.ROOT, "synchronised to %s, offset %+.3f ms",
                        m.address(), m.estimate().offsetNanos() / 1e6), null, null, List.of())
                : new ServiceState("w32time", null, true, false, m.error(), null, null, List.of());
    }

    /**
     * {@code w32tm /stripchart} of each candidate's host (port 123, the one w32time will use; the first
     * four hosts, each run bounded by its timeout); none for a Windows machine reviewed from another OS.
     */
    @Override
    public Map<String, Probe> skewFallbacks(Host host, List<ServerAddress> candidates, int samples) {
        if (host.foreign()) {
            return Map.of();
        }
        int n = Math.max(1, Math.min(samples, 100));
        Duration timeout = Duration.ofSeconds(5L * n + 10);
        Map<String, Probe> byHost = new LinkedHashMap<>();
        for (ServerAddress server : candidates) {
            ServerAddress asked = new ServerAddress(server.host(), ServerAddress.NTP_PORT);
            if (byHost.size() < 4 && !byHost.containsKey(asked.toString())) {
                byHost.put(asked.toString(), new StripchartProbe(asked, n, host.runner(), host.time(), timeout));
            }
        }
        return byHost;
    }

    /** Windows refusing a command for lack of elevation. */
    @Override
    public Optional<String> privilegeRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CommandFailure f && f.accessDenied()) {
                return Optional.of("Windows refused: this needs Administrator rights; run it from an elevated prompt"
                        + " (Run as administrator) or as SYSTEM");
            }
        }
        return Optional.empty();
    }

    /**
     * NSSM when found ({@code wrapper}, else on the PATH), else a scheduled task. Planning for another
     * machine trusts the path given for it.
     */
    @Override
    public AgentInstaller installer(Host host, Path root, Path wrapper) {
        Path found;
        try {
            found = host.foreign() ? wrapper : WindowsServiceInstaller.findNssm(wrapper, host.env()).orElse(null);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new WindowsAgentInstaller(new WindowsServiceInstaller(host.runner(), found), host.foreign());
    }

    /** w32time's own checks: the root does not apply, Windows has one time service. */
    @Override
    public ServiceDiagnosis diagnose(Host host, Path root) throws InterruptedException {
        return W32TimeDiagnostics.diagnose(host);
    }

    /** w32time is built in; whether NSSM (for running TimeSync as a service) is there is worth knowing. */
    @Override
    public ServiceSetup setup(Host host, SetupRequest request) throws SetupRefusal {
        Optional<Path> nssm;
        try {
            nssm = WindowsServiceInstaller.findNssm(null, host.env());
        } catch (IOException e) {
            throw new SetupRefusal(SetupRefusal.Kind.UNAVAILABLE, e.getMessage(), e);
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("service", "w32time");
        facts.put("install", "nothing: w32time is built into Windows");
        facts.put("nssm", nssm.map(Path::toString).orElse(null));
        return new BuiltInService(facts, List.of(
                "Nothing to install: the Windows Time service (w32time) is built in.",
                nssm.map(p -> "NSSM found: " + p + " (TimeSync can run as a service with it).")
                        .orElse("NSSM not found on PATH: 'timesync service install' will use the Task Scheduler instead.")));
    }
}
