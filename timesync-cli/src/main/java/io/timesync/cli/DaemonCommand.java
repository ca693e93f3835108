package io.timesync.cli;

import ch.qos.logback.classic.Level;
import io.timesync.agent.Agent;
import io.timesync.agent.Cycle;
import io.timesync.agent.Schedule;
import io.timesync.agent.Sleeper;
import io.timesync.agent.Telemetry;
import io.timesync.api.Measurement;
import io.timesync.api.Mode;
import io.timesync.api.TimeSource;
import io.timesync.app.StateDirectory;
import io.timesync.app.config.Configuration;
import io.timesync.app.telemetry.AgentMetrics;
import io.timesync.app.telemetry.Notifier;
import io.timesync.app.telemetry.TelemetryLog;
import io.timesync.correct.Corrector;
import io.timesync.files.LockFile;
import io.timesync.memo.MemoException;
import io.timesync.probe.AddressText;
import io.timesync.probe.Probe;
import io.timesync.text.DurationText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.timesync.platform.ServiceRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code timesync daemon}: the agent, running cycles in a mode until stopped. */
@Command(name = "daemon",
        mixinStandardHelpOptions = true,
        description = {"Runs the agent until stopped (SIGTERM or Ctrl-C stop it within a second, state saved).",
            "It selects servers at start and every --optimize-interval, measures the selection every poll interval (the"
                    + " mode's interval, never faster than every 64 s for public servers), reads the time service's own view"
                    + " in between (chrony, ntpd), and corrects through the service as 'sync' does. Every cycle goes to"
                    + " status.log and status.jsonl in --log-dir; --metrics-port serves Prometheus metrics. With --dry-run it"
                    + " measures and decides but changes nothing."},
        footer = {"", "Modes: fast checks every 60 s and acts above 0.1 ms; ultrafast every 1 s, above 1 us; lazy every 30 min,",
            "above 1 ms, with one request per server. A skew is acted on only when it also exceeds the measurement's own",
            "uncertainty (half the delay + root delay / 2 + root dispersion + precision, or 3 x its jitter if larger).",
            "Exit codes: 0 stopped, 64 bad arguments (or the metrics port is taken), 69 no supported time service,",
            "73 state or log cannot be written, 76 another daemon holds the state directory or the configuration, 77 needs root."})
final class DaemonCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DaemonCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    LoggingMixin logging;

    @Mixin
    ProbeOptionsMixin probing;

    @Mixin
    SelectionOptionsMixin selecting;

    @Mixin
    CorrectionOptionsMixin correcting;

    @Mixin
    SystemRootMixin system;

    @Mixin
    PlatformMixin platform;

    @Option(names = "--optimize-interval", paramLabel = "DURATION", defaultValue = "6h", converter = DurationConverter.class,
            description = "How often every candidate is probed and the selection revisited (default 6h; at least 64s,"
                    + " or 1s for servers marked as your own).")
    Duration optimizeInterval;

    @Option(names = "--own-servers", description = "The servers are yours: poll them at the mode's interval, faster than the"
            + " public pools' 64 s (also \"ownServers\": true in --config).")
    boolean ownServers;

    @Option(names = "--start-jitter", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Start within a random delay up to this, so a fleet spreads out (default: the poll interval).")
    Duration startJitter;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve Prometheus metrics on this port (0: any free one).")
    Integer metricsPort;

    @Option(names = "--metrics-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address the metrics are served on (default 127.0.0.1, loopback only).")
    String metricsAddress;

    @Override
    public Integer call() throws InterruptedException {
        Mode mode = correcting.mode(spec.commandLine());
        Configuration run = selecting.resolve(probing, spec.commandLine());
        PrintWriter err = spec.commandLine().getErr();
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--metrics-port must be 0-65535, got " + metricsPort);
        }
        Schedule.Settings schedule = schedule(mode, ownServers || run.file().ownServers());
        platform.requireDryRunIfForeign(correcting.dryRun);
        if (!correcting.dryRun && system.lacksPrivilege()) {
            err.println("timesync: the daemon changes the time service's configuration and needs root;"
                    + " run it as root, or add --dry-run to watch it decide");
            return ExitCode.PERMISSION;
        }
        Corrector corrector;
        Probe serviceProbe;
        TelemetryLog.Peers peers;
        try {
            corrector = correcting.corrector(system, platform, spec.commandLine());
            ServiceRequest request = correcting.request(system, spec.commandLine());
            serviceProbe = platform.platform().serviceProbe(platform.host(), request).orElse(null);
            peers = platform.platform().peers(platform.host(), request).map(read -> (TelemetryLog.Peers) read::read).orElse(null);
        } catch (IOException e) {
            err.println("timesync: " + e.getMessage());
            return SystemRootMixin.exitCode(e);
        }
        InetAddress bind;
        try {
            bind = metricsAddress(metricsAddress);
        } catch (UnknownHostException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--metrics-address must be an IP address, got '" + metricsAddress + "'");
        }
        Path logs = StateDirectory.logs(TimeSyncCommand.machineOf(spec), correcting.logDir);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            // A daemon that changes things is the only one on its state and on its configuration, for its whole life.
            if (!correcting.dryRun) {
                Path state = run.store().file().getParent();
                try {
                    open.addAll(StateDirectory.lockForDaemon(state,
                            StateDirectory.configurationLock(TimeSyncCommand.machineOf(spec), system.root, corrector.service()),
                            StateDirectory.holder("timesync daemon, state " + state + ", " + corrector.service() + " under "
                                    + system.root), run.store().file().getFileName().toString(), Configuration.SESSIONS_FILE));
                } catch (LockFile.HeldException e) {
                    err.println("timesync: another TimeSync daemon is running: " + e.file() + " is held by " + e.holder()
                            + "; stop that one first" + (e.file().getFileName().toString().equals(StateDirectory.DAEMON_LOCK)
                            ? ", or give this one another --state-dir" : " (it manages the same " + corrector.service()
                            + " configuration)"));
                    return ExitCode.ALREADY_RUNNING;
                } catch (IOException e) {
                    err.println("timesync: cannot lock the state directory " + state + ": " + e.getMessage());
                    return ExitCode.CANNOT_WRITE;
                }
            }
            List<Telemetry> sinks = new ArrayList<>();
            TelemetryLog telemetryLog;
            try {
                telemetryLog = TelemetryLog.open(logs);
            } catch (IOException e) {
                err.println("timesync: " + e.getMessage() + "; choose --log-dir");
                return ExitCode.CANNOT_WRITE;
            }
            open.add(telemetryLog);
            sinks.add(telemetryLog);
            if (peers != null) {
                telemetryLog.watch(corrector.service(), serviceProbe == null ? null : serviceProbe.source(), peers);
            }
            if (metricsPort != null) {
                AgentMetrics metrics;
                try {
                    metrics = AgentMetrics.serve(bind, metricsPort);
                } catch (IOException e) {
                    err.println("timesync: cannot serve metrics on " + metricsAddress + ":" + metricsPort + " (" + e.getMessage()
                            + "); choose another --metrics-port");
                    return ExitCode.USAGE;
                }
                metrics.runsWith(serviceProbe == null ? null : serviceProbe.source(), run.policy().requireAuthenticated());
                open.add(metrics);
                sinks.add(metrics);
                err.println("timesync: metrics on http://" + Measurement.keyOf(AddressText.of(bind), metrics.port()) + "/metrics");
            }
            Notifier.Settings notify;
            try {
                notify = run.file().notifications(System.getenv());
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (notify.any()) {
                Notifier notifier = new Notifier(notify);
                open.add(notifier);
                sinks.add(notifier);
            }
            return runAgent(mode, schedule, run, corrector, serviceProbe, Telemetry.all(sinks), logs, err);
        } finally {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.debug("closing {}", c, e);
                }
            }
        }
    }

    /**
     * The schedule's intervals; an optimize interval that would poll the servers faster than the floor
     * is a usage error (exit 64): each optimize cycle polls every candidate.
     */
    private Schedule.Settings schedule(Mode mode, boolean own) {
        Duration floor = Schedule.Settings.optimizeFloor(own);
        if (optimizeInterval.compareTo(floor) < 0) {
            String least = floor.toSeconds() + "s";
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), own
                    ? "--optimize-interval " + human(optimizeInterval) + " is shorter than " + least
                            + ", which even servers of your own need between optimize cycles: give at least " + least
                    : "--optimize-interval " + human(optimizeInterval) + " would poll every candidate more often than"
                            + " every " + least + ", which public servers do not allow: give at least "
                            + least + ", or mark the servers as your own with --own-servers (or \"ownServers\":"
                            + " true in the --config file)");
        }
        Schedule.Settings settings = Schedule.Settings.forMode(mode, own, optimizeInterval);
        return startJitter == null ? settings : settings.withStartJitter(startJitter);
    }

    private int runAgent(Mode mode, Schedule.Settings settings, Configuration run, Corrector corrector,
                         Probe serviceProbe, Telemetry telemetry, Path logs, PrintWriter err) throws InterruptedException {
        // The agent's state changes are the daemon's own log (on stderr, so journald keeps them).
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.timesync.agent")).setLevel(Level.INFO);
        TimeSource time = TimeSource.system();
        Cycle cycle = correcting.cycle(run, spec.commandLine(), corrector, serviceProbe);
        Agent agent = new Agent(cycle, new Schedule(settings, serviceProbe != null, new SecureRandom(), time.monotonicNanos()),
                telemetry, time, Sleeper.on(time));
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            agent.stop();
            try {
                done.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "timesync-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        StopSignals signals = StopSignals.install(agent::stop);
        err.println(String.format(Locale.ROOT, "timesync: daemon in %s mode%s: %d candidate(s), service %s%s, polls every %s,"
                        + " selection revisited every %s, first cycle within %s; telemetry in %s", mode.name().toLowerCase(Locale.ROOT),
                correcting.dryRun ? " (dry run: nothing is changed)" : "", run.candidates().size(), corrector.service(),
                settings.tick().compareTo(settings.pollInterval()) >= 0 ? ""
                        : serviceProbe == null ? " (nothing to read: the last measurement checked every " + human(settings.tick()) + ")"
                        : " (read every " + human(settings.tick()) + ")", human(settings.pollInterval()),
                human(settings.optimizeInterval()), human(settings.startJitter()), logs));
        err.flush();
        try {
            agent.run();
            return ExitCode.OK;
        } catch (MemoException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.CANNOT_WRITE;
        } finally {
            signals.restore();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is what stopped us.
            }
        }
    }

    private static InetAddress metricsAddress(String text) throws UnknownHostException {
        String t = text.trim();
        if (!t.matches("[0-9.]+|\\[?[0-9A-Fa-f:.]+]?")) {
            throw new UnknownHostException(t);
        }
        return InetAddress.getByName(t.startsWith("[") ? t.substring(1, t.length() - 1) : t);
    }

    private static String human(Duration d) {
        return DurationText.of(d);
    }
}
