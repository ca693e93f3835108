package io.timesync.app;

import io.timesync.agent.Agent;
import io.timesync.agent.Cycle;
import io.timesync.agent.Schedule;
import io.timesync.agent.Sleeper;
import io.timesync.agent.Telemetry;
import io.timesync.time.Measurement;
import io.timesync.time.Mode;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.app.config.ConfigFile;
import io.timesync.app.config.Configuration;
import io.timesync.app.telemetry.AgentMetrics;
import io.timesync.app.telemetry.Notifier;
import io.timesync.app.telemetry.TelemetryLog;
import io.timesync.correct.Corrector;
import io.timesync.files.LockFile;
import io.timesync.memo.MemoException;
import io.timesync.platform.Platform;
import io.timesync.platform.ServiceRequest;
import io.timesync.probe.AddressText;
import io.timesync.probe.Probe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The correcting agent, assembled: it selects servers at start and every optimize interval, measures
 * the selection every poll interval, reads the time service's own view in between, and corrects the
 * clock through the time service (chrony, ntpd, systemd-timesyncd, w32time) that the platform finds.
 * Every cycle goes to {@code status.log} and {@code status.jsonl} in the log directory; optionally
 * Prometheus metrics are served and notifications sent (as the configuration file's {@code notify.*} says).
 *
 * <pre>{@code
 * TimeSyncAgent agent = TimeSyncAgent.builder()
 *         .mode(Mode.FAST)
 *         .servers(List.of(ServerAddress.parse("time.example.org", 123)))
 *         .stateDirectory(Path.of("/var/lib/myapp/timesync"))
 *         .logDirectory(Path.of("/var/log/myapp"))
 *         .build();
 * agent.start();   // in a thread of its own
 * // ... and at the application's shutdown:
 * agent.close();   // stops it (its state saved), releases its files, port and locks
 * }</pre>
 *
 * <p>Changing the time service needs the privileges to change it (root, or an elevated Administrator);
 * with {@link Builder#dryRun(boolean) dryRun(true)} the agent measures and decides, and changes and
 * records nothing. A non-dry-run agent holds a lock on its state directory and on the service's
 * configuration for its whole life, so a second one on the same machine is refused.
 */
public final class TimeSyncAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TimeSyncAgent.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    /** What kept an agent from being built. */
    public enum Problem {
        /** The time service is not supported, not installed or not usable ({@link #getCause()} says why). */
        SERVICE,
        /** Another agent holds the state directory or the service's configuration. */
        LOCKED,
        /** The state directory cannot be locked or written. */
        STATE,
        /** The telemetry log cannot be written. */
        LOG,
        /** The metrics port cannot be served. */
        METRICS,
        /** The configuration is wrong. */
        CONFIGURATION
    }

    /** Why {@link Builder#build()} could not assemble the agent; nothing is held then. */
    public static final class SetupException extends Exception {

        private static final long serialVersionUID = 1L;

        private final Problem problem;

        SetupException(Problem problem, String message, Throwable cause) {
            super(message, cause);
            this.problem = problem;
        }

        /** What went wrong. */
        public Problem problem() {
            return problem;
        }
    }

    private final Agent agent;
    private final List<AutoCloseable> open;
    private final Configuration configuration;
    private final Schedule.Settings schedule;
    private final Corrector corrector;
    private final Probe serviceProbe;
    private final Path logDirectory;
    private final AgentMetrics metrics;
    private Thread thread;
    private volatile Exception failure;

    private TimeSyncAgent(Agent agent, List<AutoCloseable> open, Configuration configuration, Schedule.Settings schedule,
                          Corrector corrector, Probe serviceProbe, Path logDirectory, AgentMetrics metrics) {
        this.agent = agent;
        this.open = open;
        this.configuration = configuration;
        this.schedule = schedule;
        this.corrector = corrector;
        this.serviceProbe = serviceProbe;
        this.logDirectory = logDirectory;
        this.metrics = metrics;
    }

    /** A builder with the defaults: fast mode, the default candidates, the platform's directories, no metrics. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the agent in this thread until {@link #stop()} (or an interrupt).
     *
     * @throws MemoException when the memo's directory cannot be used at all
     */
    public void run() throws MemoException, InterruptedException {
        agent.run();
    }

    /**
     * Runs the agent in a thread of its own; {@link #close()} stops it.
     *
     * @throws IllegalStateException when it was started before
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the agent was started before");
        }
        thread = new Thread(() -> {
            try {
                agent.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (MemoException | RuntimeException e) {
                failure = e;
                log.error("the agent stopped: {}", e.getMessage(), e);
            }
        }, "timesync-agent");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the agent to stop; it does within a second, its state saved. */
    public void stop() {
        agent.stop();
    }

    /** Why the agent's own thread ended early, or null. */
    public Exception failure() {
        return failure;
    }

    /** What it runs with: the configuration resolved. */
    public Configuration configuration() {
        return configuration;
    }

    /** Its intervals. */
    public Schedule.Settings schedule() {
        return schedule;
    }

    /** The time service it corrects through. */
    public String service() {
        return corrector.service();
    }

    /** Whether it reads the time service's own view between network polls. */
    public boolean readsService() {
        return serviceProbe != null;
    }

    /** Where {@code status.log} and {@code status.jsonl} are written. */
    public Path logDirectory() {
        return logDirectory;
    }

    /** The port the metrics are served on, when they are. */
    public OptionalInt metricsPort() {
        return metrics == null ? OptionalInt.empty() : OptionalInt.of(metrics.port());
    }

    /** Stops the agent (waiting a few seconds for its thread), then releases its files, port and locks. */
    @Override
    public void close() throws InterruptedException {
        agent.stop();
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            running.join(STOP_WAIT.toMillis());
        }
        closeAll(open);
    }

    private static void closeAll(List<AutoCloseable> open) {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.debug("closing {}", c, e);
            }
        }
    }

    /** Assembles a {@link TimeSyncAgent}. Every setting is optional. */
    public static final class Builder {

        private Machine machine;
        private Platform platform;
        private Mode mode = Mode.FAST;
        private Configuration configuration;
        private List<ServerAddress> servers = List.of();
        private Path configFile;
        private Path stateDirectory;
        private Configuration.Probing probing = Configuration.Probing.NONE;
        private Path logDirectory;
        private InetAddress metricsAddress = InetAddress.getLoopbackAddress();
        private Integer metricsPort;
        private boolean dryRun;
        private boolean allowLargeStep;
        private Path root = Path.of("/");
        private String service;
        private boolean forceDomain;
        private Duration optimizeInterval = Duration.ofHours(6);
        private boolean ownServers;
        private Duration startJitter;

        private Builder() {
        }

        /** How hard to keep the clock: fast (default), ultrafast or lazy. */
        public Builder mode(Mode value) {
            this.mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        /** The candidate servers (default: the regional public pools and NTS servers). */
        public Builder servers(List<ServerAddress> value) {
            this.servers = List.copyOf(value);
            return this;
        }

        /** A configuration file (JSON or properties, see {@link ConfigFile}); what is set here wins over it. */
        public Builder configFile(Path value) {
            this.configFile = value;
            return this;
        }

        /** Where the memo is kept (default: the configuration file's, else the platform's state directory). */
        public Builder stateDirectory(Path value) {
            this.stateDirectory = value;
            return this;
        }

        /** How to probe (null values: the configuration file's, else the defaults). */
        public Builder probing(Configuration.Probing value) {
            this.probing = Objects.requireNonNull(value, "probing");
            return this;
        }

        /**
         * Everything the selection needs, resolved already (as the CLI does from its flags); replaces
         * {@link #servers}, {@link #configFile}, {@link #stateDirectory} and {@link #probing}.
         */
        public Builder configuration(Configuration value) {
            this.configuration = value;
            return this;
        }

        /** Where status.log and status.jsonl go (default: the platform's log directory). */
        public Builder logDirectory(Path value) {
            this.logDirectory = value;
            return this;
        }

        /** Serve Prometheus metrics at {@code /metrics} on this port (0: any free one; null, the default: none). */
        public Builder metricsPort(Integer value) {
            if (value != null && (value < 0 || value > 65_535)) {
                throw new IllegalArgumentException("the metrics port must be 0-65535, got " + value);
            }
            this.metricsPort = value;
            return this;
        }

        /** The address the metrics are served on (default: loopback only). */
        public Builder metricsAddress(InetAddress value) {
            this.metricsAddress = Objects.requireNonNull(value, "metricsAddress");
            return this;
        }

        /** Measure and decide, change and record nothing (default false). */
        public Builder dryRun(boolean value) {
            this.dryRun = value;
            return this;
        }

        /** Step even beyond the panic bound (1000 s; default false). */
        public Builder allowLargeStep(boolean value) {
            this.allowLargeStep = value;
            return this;
        }

        /** The root of the system whose time service is used (default {@code /}; another for a copy of one). */
        public Builder root(Path value) {
            this.root = Objects.requireNonNull(value, "root");
            return this;
        }

        /** The time service to use (chrony, ntpsec, timesyncd, w32time) instead of detecting it. */
        public Builder service(String value) {
            this.service = value;
            return this;
        }

        /** Windows: make a domain member use the selected servers. */
        public Builder forceDomain(boolean value) {
            this.forceDomain = value;
            return this;
        }

        /** How often every candidate is probed and the selection revisited (default 6 h; at least 64 s, 1 s for own servers). */
        public Builder optimizeInterval(Duration value) {
            this.optimizeInterval = Objects.requireNonNull(value, "optimizeInterval");
            return this;
        }

        /** The servers are the application's own: poll them at the mode's interval, faster than the public pools allow. */
        public Builder ownServers(boolean value) {
            this.ownServers = value;
            return this;
        }

        /** Start within a random delay up to this, so a fleet spreads out (default: the poll interval). */
        public Builder startJitter(Duration value) {
            this.startJitter = value;
            return this;
        }

        /** The machine to act on (default: this one, {@link Machine#running()}). */
        public Builder machine(Machine value) {
            this.machine = value;
            return this;
        }

        /** Plan for this platform instead of the machine's own (then only a dry run is allowed). */
        public Builder platform(Platform value) {
            this.platform = value;
            return this;
        }

        /**
         * Assembles the agent: resolves the configuration, finds the time service, takes the locks (unless
         * in a dry run), opens the telemetry log and the metrics port. Nothing runs until
         * {@link TimeSyncAgent#run()} or {@link TimeSyncAgent#start()}.
         *
         * @throws IllegalArgumentException when a setting is wrong
         * @throws SetupException           when the service, the directories or the port cannot be used
         */
        public TimeSyncAgent build() throws SetupException, InterruptedException {
            Machine on = machine != null ? machine : Machine.running();
            Platform chosen = platform != null ? platform : on.platform();
            boolean foreign = chosen.getClass() != on.platform().getClass();
            if (foreign && !dryRun) {
                throw new IllegalArgumentException("the platform " + chosen.name() + " is another machine's: only a dry run can plan for it");
            }
            Configuration run = configuration;
            if (run == null) {
                ConfigFile file = configFile == null ? ConfigFile.none() : ConfigFile.read(configFile);
                Configuration.Flags flags = new Configuration.Flags(servers, null, null, stateDirectory, null, null, null,
                        null, null, null, null, null, false, probing);
                run = Configuration.resolve(flags, file, () -> StateDirectory.resolve(on, null, null));
            }
            boolean own = ownServers || run.file().ownServers();
            Duration floor = Schedule.Settings.optimizeFloor(own);
            if (optimizeInterval.compareTo(floor) < 0) {
                throw new IllegalArgumentException("the optimize interval " + optimizeInterval + " is shorter than " + floor
                        + (own ? "" : ", which public servers need between optimize cycles (or mark the servers as your own)"));
            }
            Schedule.Settings settings = Schedule.Settings.forMode(mode, own, optimizeInterval);
            if (startJitter != null) {
                settings = settings.withStartJitter(startJitter);
            }
            Notifier.Settings notify;
            try {
                notify = run.file().notifications(on.env());
            } catch (IllegalArgumentException e) {
                throw new SetupException(Problem.CONFIGURATION, e.getMessage(), e);
            }
            ServiceRequest request = new ServiceRequest(root, service, dryRun, forceDomain, mode);
            Corrector corrector;
            Probe serviceProbe;
            TelemetryLog.Peers peers;
            try {
                corrector = chosen.corrector(on.host(foreign), request);
                serviceProbe = chosen.serviceProbe(on.host(foreign), request).orElse(null);
                peers = chosen.peers(on.host(foreign), request).map(read -> (TelemetryLog.Peers) read::read).orElse(null);
            } catch (IOException e) {
                throw new SetupException(Problem.SERVICE, e.getMessage(), e);
            }
            Path logs = StateDirectory.logs(on, logDirectory);
            List<AutoCloseable> open = new ArrayList<>();
            try {
                // An agent that changes things is the only one on its state and on its configuration, for its whole life.
                if (!dryRun) {
                    open.addAll(lock(on, run, corrector));
                }
                List<Telemetry> sinks = new ArrayList<>();
                TelemetryLog telemetryLog;
                try {
                    telemetryLog = TelemetryLog.open(logs);
                } catch (IOException e) {
                    throw new SetupException(Problem.LOG, e.getMessage(), e);
                }
                open.add(telemetryLog);
                sinks.add(telemetryLog);
                if (peers != null) {
                    telemetryLog.watch(corrector.service(), serviceProbe == null ? null : serviceProbe.source(), peers);
                }
                AgentMetrics metrics = null;
                if (metricsPort != null) {
                    try {
                        metrics = AgentMetrics.serve(metricsAddress, metricsPort);
                    } catch (IOException e) {
                        throw new SetupException(Problem.METRICS, "cannot serve metrics on "
                                + Measurement.keyOf(AddressText.of(metricsAddress), metricsPort) + " (" + e.getMessage() + ")", e);
                    }
                    metrics.runsWith(serviceProbe == null ? null : serviceProbe.source(), run.policy().requireAuthenticated());
                    open.add(metrics);
                    sinks.add(metrics);
                }
                if (notify.any()) {
                    Notifier notifier = new Notifier(notify);
                    open.add(notifier);
                    sinks.add(notifier);
                }
                TimeSource time = TimeSource.system();
                Cycle cycle = run.cycle(mode, allowLargeStep, dryRun, corrector, serviceProbe, settings.pollInterval());
                open.add(cycle);
                Agent agent = new Agent(cycle, new Schedule(settings, serviceProbe != null, new SecureRandom(), time.monotonicNanos()),
                        Telemetry.all(sinks), time, Sleeper.on(time));
                return new TimeSyncAgent(agent, open, run, settings, corrector, serviceProbe, logs, metrics);
            } catch (SetupException | RuntimeException e) {
                closeAll(open);
                throw e;
            }
        }

        private List<LockFile> lock(Machine on, Configuration run, Corrector corrector) throws SetupException {
            Path state = run.store().file().getParent();
            try {
                return StateDirectory.lockForDaemon(state, StateDirectory.configurationLock(on, root, corrector.service()),
                        StateDirectory.holder("timesync daemon, state " + state + ", " + corrector.service() + " under " + root),
                        run.store().file().getFileName().toString(), Configuration.SESSIONS_FILE);
            } catch (LockFile.HeldException e) {
                throw new SetupException(Problem.LOCKED, "another TimeSync daemon is running: " + e.file() + " is held by "
                        + e.holder() + "; stop that one first" + (e.file().getFileName().toString().equals(StateDirectory.DAEMON_LOCK)
                        ? "" : " (it manages the same " + corrector.service() + " configuration)"), e);
            } catch (IOException e) {
                throw new SetupException(Problem.STATE, "cannot lock the state directory " + state + ": " + e.getMessage(), e);
            }
        }
    }
}
