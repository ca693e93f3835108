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
import io.timesync.correct.Corrector;
import io.timesync.memo.MemoException;
import io.timesync.probe.AddressText;
import io.timesync.probe.Probe;
import io.timesync.text.DurationText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
            "above 1 ms, with one request per server.",
            "Exit codes: 0 stopped, 64 bad arguments (or the metrics port is taken), 69 no supported time service,",
            "73 state or log cannot be written, 77 needs root."})
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
            description = "How often every candidate is probed and the selection revisited (default 6h).")
    Duration optimizeInterval;

    @Option(names = "--own-servers", description = "The servers are yours: poll them at the mode's interval, faster than the"
            + " public pools' 64 s.")
    boolean ownServers;

    @Option(names = "--start-jitter", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Start within a random delay up to this, so a fleet spreads out (default: a tenth of the poll"
                    + " interval, at most 30 s).")
    Duration startJitter;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve Prometheus metrics on this port (0: any free one).")
    Integer metricsPort;

    @Option(names = "--metrics-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address the metrics are served on (default 127.0.0.1, loopback only).")
    String metricsAddress;

    @Override
    public Integer call() throws InterruptedException {
        Mode mode = correcting.mode(spec.commandLine());
        SelectionOptionsMixin.Selecting run = selecting.resolve(probing, spec.commandLine());
        PrintWriter err = spec.commandLine().getErr();
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--metrics-port must be 0-65535, got " + metricsPort);
        }
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
            serviceProbe = Correctors.serviceProbe(Machine.of(spec), platform.platform(), platform.foreign(), system.root, correcting.service)
                    .orElse(null);
            peers = Correctors.peers(platform.platform(), system.root, correcting.service).orElse(null);
        } catch (IOException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.NO_SERVER;
        }
        InetAddress bind;
        try {
            bind = metricsAddress(metricsAddress);
        } catch (UnknownHostException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--metrics-address must be an IP address, got '" + metricsAddress + "'");
        }
        Path logs = StateDirectory.logs(Machine.of(spec), correcting.logDir);
        List<AutoCloseable> open = new ArrayList<>();
        try {
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
                open.add(metrics);
                sinks.add(metrics);
                err.println("timesync: metrics on http://" + Measurement.keyOf(AddressText.of(bind), metrics.port()) + "/metrics");
            }
            Notifier.Settings notify;
            try {
                notify = run.settings().notifications(System.getenv());
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (notify.any()) {
                Notifier notifier = new Notifier(notify);
                open.add(notifier);
                sinks.add(notifier);
            }
            return runAgent(mode, run, corrector, serviceProbe, Telemetry.all(sinks), logs, err);
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

    private int runAgent(Mode mode, SelectionOptionsMixin.Selecting run, Corrector corrector, Probe serviceProbe,
                         Telemetry telemetry, Path logs, PrintWriter err) throws InterruptedException {
        // The agent's state changes are the daemon's own log (on stderr, so journald keeps them).
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.timesync.agent")).setLevel(Level.INFO);
        TimeSource time = TimeSource.system();
        Cycle cycle = correcting.cycle(run, spec.commandLine(), corrector, serviceProbe);
        Schedule.Settings settings = Schedule.Settings.forMode(mode, ownServers, optimizeInterval);
        if (startJitter != null) {
            settings = settings.withStartJitter(startJitter);
        }
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
                        + " selection revisited every %s; telemetry in %s", mode.name().toLowerCase(Locale.ROOT),
                correcting.dryRun ? " (dry run: nothing is changed)" : "", run.candidates().size(), corrector.service(),
                settings.tick().compareTo(settings.pollInterval()) >= 0 ? ""
                        : serviceProbe == null ? " (nothing to read: the last measurement checked every " + human(settings.tick()) + ")"
                        : " (read every " + human(settings.tick()) + ")", human(settings.pollInterval()),
                human(settings.optimizeInterval()), logs));
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
