package io.timesync.cli;

import ch.qos.logback.classic.Level;
import io.timesync.agent.Schedule;
import io.timesync.time.Measurement;
import io.timesync.time.Mode;
import io.timesync.app.StateDirectory;
import io.timesync.app.TimeSyncAgent;
import io.timesync.app.config.Configuration;
import io.timesync.files.LockFile;
import io.timesync.memo.MemoException;
import io.timesync.probe.AddressText;
import io.timesync.probe.ClockFilter;
import io.timesync.text.DurationText;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
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
            throw new ParameterException(spec.commandLine(), "--metrics-port must be 0-65535, got " + metricsPort);
        }
        boolean own = ownServers || run.file().ownServers();
        checkOptimizeInterval(own);
        platform.requireDryRunIfForeign(correcting.dryRun);
        if (!correcting.dryRun && system.lacksPrivilege()) {
            err.println("timesync: the daemon changes the time service's configuration and needs root;"
                    + " run it as root, or add --dry-run to watch it decide");
            return ExitCode.PERMISSION;
        }
        InetAddress bind;
        try {
            bind = metricsAddress(metricsAddress);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--metrics-address must be an IP address, got '" + metricsAddress + "'");
        }
        TimeSyncAgent.Builder builder = TimeSyncAgent.builder().machine(TimeSyncCommand.machineOf(spec))
                .platform(platform.platform()).mode(mode).configuration(run).root(system.root).service(correcting.service)
                .forceDomain(correcting.forceDomain).dryRun(correcting.dryRun).allowLargeStep(correcting.allowLargeStep)
                .logDirectory(correcting.logDir).metricsAddress(bind).metricsPort(metricsPort)
                .optimizeInterval(optimizeInterval).ownServers(own).startJitter(startJitter);
        try (TimeSyncAgent agent = builder.build()) {
            agent.metricsPort().ifPresent(port ->
                    err.println("timesync: metrics on http://" + Measurement.keyOf(AddressText.of(bind), port) + "/metrics"));
            return runAgent(mode, agent, err);
        } catch (TimeSyncAgent.SetupException e) {
            return failed(e, err);
        }
    }

    /** The message and exit code of an agent that could not be assembled, with the option that changes it. */
    private int failed(TimeSyncAgent.SetupException e, PrintWriter err) {
        switch (e.problem()) {
            case SERVICE -> {
                err.println("timesync: " + e.getMessage());
                return SystemRootMixin.exitCode((IOException) e.getCause());
            }
            case LOCKED -> {
                boolean state = ((LockFile.HeldException) e.getCause()).file().getFileName().toString()
                        .equals(StateDirectory.DAEMON_LOCK);
                err.println("timesync: " + e.getMessage() + (state ? ", or give this one another --state-dir" : ""));
                return ExitCode.ALREADY_RUNNING;
            }
            case STATE -> {
                err.println("timesync: " + e.getMessage());
                return ExitCode.CANNOT_WRITE;
            }
            case LOG -> {
                err.println("timesync: " + e.getMessage() + "; choose --log-dir");
                return ExitCode.CANNOT_WRITE;
            }
            case METRICS -> {
                err.println("timesync: " + e.getMessage() + "; choose another --metrics-port");
                return ExitCode.USAGE;
            }
            default -> throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * An optimize interval that would poll the servers faster than the floor is a usage error (exit 64):
     * each optimize cycle polls every candidate.
     */
    private void checkOptimizeInterval(boolean own) {
        Duration floor = Schedule.Settings.optimizeFloor(own);
        if (optimizeInterval.compareTo(floor) < 0) {
            String least = floor.toSeconds() + "s";
            throw new ParameterException(spec.commandLine(), own
                    ? "--optimize-interval " + human(optimizeInterval) + " is shorter than " + least
                            + ", which even servers of your own need between optimize cycles: give at least " + least
                    : "--optimize-interval " + human(optimizeInterval) + " would poll every candidate more often than"
                            + " every " + least + ", which public servers do not allow: give at least "
                            + least + ", or mark the servers as your own with --own-servers (or \"ownServers\":"
                            + " true in the --config file)");
        }
    }

    private int runAgent(Mode mode, TimeSyncAgent agent, PrintWriter err) throws InterruptedException {
        // The agent's state changes are the daemon's own log (on stderr, so journald keeps them).
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.timesync.agent")).setLevel(Level.INFO);
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
        Schedule.Settings settings = agent.schedule();
        err.println(String.format(Locale.ROOT, "timesync: daemon in %s mode%s: %d candidate(s), service %s%s, polls every %s%s,"
                        + " selection revisited every %s, first cycle within %s; telemetry in %s", mode.name().toLowerCase(Locale.ROOT),
                correcting.dryRun ? " (dry run: nothing is changed)" : "", agent.configuration().candidates().size(),
                agent.service(), settings.tick().compareTo(settings.pollInterval()) >= 0 ? ""
                        : !agent.readsService() ? " (nothing to read: the last measurement checked every " + human(settings.tick()) + ")"
                        : " (read every " + human(settings.tick()) + ")", human(settings.pollInterval()),
                agent.configuration().filtersAcrossPolls(settings.pollInterval())
                        ? " (one request a poll, filtered over the last " + ClockFilter.SIZE + ")" : "",
                human(settings.optimizeInterval()), human(settings.startJitter()), agent.logDirectory()));
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
