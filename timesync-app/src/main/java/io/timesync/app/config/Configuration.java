package io.timesync.app.config;

import io.timesync.agent.Cycle;
import io.timesync.agent.PollWindows;
import io.timesync.time.Mode;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.memo.JsonMemoStore;
import io.timesync.nts.NtsClient;
import io.timesync.nts.NtsKeClient;
import io.timesync.nts.NtsSessionStore;
import io.timesync.nts.NtsTrust;
import io.timesync.probe.Politeness;
import io.timesync.probe.Probe;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Candidates;
import io.timesync.select.Optimizer;
import io.timesync.select.Optimizer.Strategy;
import io.timesync.select.SelectionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a selection or correction run works with, from the flags over the configuration file over the
 * defaults: how to probe, how to select, whom to probe (plain and NTS), where the memo lives, and the
 * file itself for what only some runs use (notifications, own servers).
 */
public final class Configuration {

    private static final Logger log = LoggerFactory.getLogger(Configuration.class);

    /** The NTS sessions file in the state directory (keys and cookies: owner-only). */
    public static final String SESSIONS_FILE = "nts-sessions.json";

    /**
     * The values given on the command line (or by an application); null, or empty, for those not given.
     *
     * @param servers            candidate servers
     * @param pool               the pool to use only
     * @param region             the region for the default pools
     * @param stateDirectory     where the memo is kept
     * @param strategy           best or first-reachable
     * @param minScore           the minimum score to be selected
     * @param minStratum         the lowest stratum accepted
     * @param maxStratum         the highest stratum accepted
     * @param hysteresisPercent  how much a challenger must beat the current server by
     * @param stabilityThreshold on how many consecutive runs
     * @param ntsServers         NTS servers
     * @param ntsTrust           the CA file for NTS
     * @param requireNts         whether only NTS-authenticated servers may be selected (false: as the file says)
     * @param probing            how to probe
     */
    public record Flags(List<ServerAddress> servers, String pool, String region, Path stateDirectory, Strategy strategy,
                        Double minScore, Integer minStratum, Integer maxStratum, Double hysteresisPercent,
                        Integer stabilityThreshold, List<ServerAddress> ntsServers, Path ntsTrust, boolean requireNts,
                        Probing probing) {

        public Flags {
            servers = servers == null ? List.of() : List.copyOf(servers);
            ntsServers = ntsServers == null ? List.of() : List.copyOf(ntsServers);
            probing = probing == null ? Probing.NONE : probing;
        }

        /** None given: the file and the defaults decide. */
        public static Flags none() {
            return new Flags(null, null, null, null, null, null, null, null, null, null, null, null, false, null);
        }
    }

    /**
     * The probing values given; null for those not given.
     *
     * @param samples     requests per address
     * @param spacing     time between requests to one address
     * @param timeout     how long to wait for each reply
     * @param concurrency addresses probed at once
     */
    public record Probing(Integer samples, Duration spacing, Duration timeout, Integer concurrency) {

        /** None given. */
        public static final Probing NONE = new Probing(null, null, null, null);

        /**
         * These values over {@code base}, within the pools' politeness rules when any of {@code servers} is
         * a pool name (with a warning when that changes them).
         *
         * @throws IllegalArgumentException when a value is out of range
         */
        public ProbeOptions over(ProbeOptions base, List<ServerAddress> servers) {
            ProbeOptions asked = new ProbeOptions(samples != null ? samples : base.samples(),
                    spacing != null ? spacing : base.spacing(), timeout != null ? timeout : base.timeout(),
                    concurrency != null ? concurrency : base.concurrency());
            ProbeOptions polite = Politeness.forServers(servers, asked);
            if (!polite.equals(asked)) {
                log.warn("pool servers take at most {} requests per run, {} s apart: using those",
                        Politeness.MAX_POOL_SAMPLES, Politeness.MIN_POOL_SPACING.toSeconds());
            }
            return polite;
        }
    }

    /** The platform's state directory for this process, asked only when neither flag nor file names one. */
    @FunctionalInterface
    public interface DefaultDirectory {
        /** The directory. */
        Path get() throws InterruptedException;
    }

    private final ProbeOptions options;
    private final SelectionPolicy policy;
    private final List<ServerAddress> candidates;
    private final Strategy strategy;
    private final Path stateDirectory;
    private final JsonMemoStore store;
    private final List<ServerAddress> ntsCandidates;
    private final NtsClient nts;
    private final NtsClient ntsDryRun;
    private final ConfigFile file;

    private Configuration(ProbeOptions options, SelectionPolicy policy, List<ServerAddress> candidates, Strategy strategy,
                          Path stateDirectory, List<ServerAddress> ntsCandidates, Path ntsTrust, ConfigFile file) {
        this.options = options;
        this.policy = policy;
        this.candidates = List.copyOf(candidates);
        this.strategy = strategy;
        this.stateDirectory = stateDirectory;
        this.store = new JsonMemoStore(stateDirectory);
        this.ntsCandidates = List.copyOf(ntsCandidates);
        this.nts = ntsCandidates.isEmpty() ? null : ntsClient(options, ntsTrust, stateDirectory);
        this.ntsDryRun = ntsCandidates.isEmpty() ? null : ntsClient(options, ntsTrust, null);
        this.file = file;
    }

    /**
     * {@code flags} over {@code file} over the defaults.
     *
     * @param defaultState the platform's state directory, asked when neither names one
     * @throws IllegalArgumentException naming what is wrong in the flags or the file
     */
    public static Configuration resolve(Flags flags, ConfigFile file, DefaultDirectory defaultState)
            throws InterruptedException {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(file, "file");
        SelectionPolicy p = file.policy();
        SelectionPolicy policy = new SelectionPolicy(p.jitterWeight(), p.reachWeight(), p.stratumWeight(),
                p.latencyWeight(), flags.minScore() != null ? flags.minScore() : p.minScore(),
                flags.minStratum() != null ? flags.minStratum() : p.minStratum(),
                flags.maxStratum() != null ? flags.maxStratum() : p.maxStratum(), p.maxRootDistance(),
                flags.hysteresisPercent() != null ? flags.hysteresisPercent() : p.hysteresisPercent(),
                flags.stabilityThreshold() != null ? flags.stabilityThreshold() : p.stabilityThreshold(), p.maxSelected(),
                p.failuresToBlacklist(), p.blacklistCooldown(), flags.requireNts() || file.requireNts());
        List<ServerAddress> servers = flags.servers();
        String pool = flags.pool();
        // A configuration listing only NTS servers names its servers: the default pools do not join them.
        boolean onlyNts = servers.isEmpty() && pool == null && file.pool() == null && file.onlyNtsServers();
        List<ServerAddress> candidates = onlyNts ? List.of() : Candidates.choose(servers,
                pool != null ? pool : (servers.isEmpty() ? file.pool() : null), file.servers(),
                flags.region() != null ? flags.region() : file.region(), ZoneId.systemDefault());
        ProbeOptions options = flags.probing().over(file.probeOptions(), candidates);
        Path state = flags.stateDirectory() != null ? flags.stateDirectory()
                : file.stateDir() != null ? file.stateDir() : defaultState.get();
        // Public NTS servers join the default candidates; named servers or a pool replace both.
        boolean defaults = servers.isEmpty() && pool == null && file.pool() == null && file.servers().isEmpty();
        List<ServerAddress> ntsCandidates = !flags.ntsServers().isEmpty() ? flags.ntsServers()
                : !file.ntsServers().isEmpty() ? file.ntsServers()
                : defaults ? Candidates.ntsDefaults() : List.of();
        return new Configuration(options, policy, candidates, flags.strategy() != null ? flags.strategy() : file.strategy(),
                state, ntsCandidates, flags.ntsTrust() != null ? flags.ntsTrust() : file.ntsTrust(), file);
    }

    /**
     * An NTS client trusting the CA certificates in {@code trustFile} (null: the JDK's trust store);
     * sessions persist in {@code stateDirectory} when it is not null. A whole key establishment gets
     * {@link NtsKeClient#DEFAULT_DEADLINE}, or the probing timeout when that is longer: key establishment
     * is a TCP connection and a TLS 1.3 handshake, a few round trips, not one.
     *
     * @throws IllegalArgumentException when the trust file cannot be used
     */
    public static NtsClient ntsClient(ProbeOptions options, Path trustFile, Path stateDirectory) {
        NtsTrust trust = trustFile == null ? NtsTrust.system() : NtsTrust.fromFile(trustFile);
        Duration deadline = options.timeout().compareTo(NtsKeClient.DEFAULT_DEADLINE) > 0
                ? options.timeout() : NtsKeClient.DEFAULT_DEADLINE;
        NtsSessionStore store = stateDirectory == null ? null : new NtsSessionStore(stateDirectory.resolve(SESSIONS_FILE));
        return NtsClient.create(trust, deadline, store);
    }

    /** How to probe. */
    public ProbeOptions options() {
        return options;
    }

    /** How to select. */
    public SelectionPolicy policy() {
        return policy;
    }

    /** The plain candidates. */
    public List<ServerAddress> candidates() {
        return candidates;
    }

    /** Best or first-reachable. */
    public Strategy strategy() {
        return strategy;
    }

    /** Where the memo (and the NTS sessions) are kept. */
    public Path stateDirectory() {
        return stateDirectory;
    }

    /** The memo in the state directory. */
    public JsonMemoStore store() {
        return store;
    }

    /** The NTS servers measured beside the candidates. */
    public List<ServerAddress> ntsCandidates() {
        return ntsCandidates;
    }

    /** The configuration file (for what only some runs use: notifications, own servers). */
    public ConfigFile file() {
        return file;
    }

    /** The optimiser over every candidate, plain and NTS; a dry run keeps no NTS session on disk. */
    public Optimizer optimizer(boolean dryRun) {
        return new Optimizer(ProbeRunner.create(options), policy, ntsProbes(dryRun));
    }

    /** A probe per NTS candidate, sharing the sessions of the client for this kind of run. */
    public List<Probe> ntsProbes(boolean dryRun) {
        List<Probe> probes = new ArrayList<>(ntsCandidates.size());
        for (ServerAddress server : ntsCandidates) {
            probes.add((dryRun ? ntsDryRun : nts).probe(server, options));
        }
        return probes;
    }

    /**
     * The cycle that measures, decides and corrects in {@code mode} through {@code corrector}.
     *
     * @param allowLargeStep whether to step even beyond the panic bound
     * @param dryRun         decide and plan, change and record nothing
     * @param serviceProbe   the time service's own view of the clock, or null
     */
    public Cycle cycle(Mode mode, boolean allowLargeStep, boolean dryRun, Corrector corrector, Probe serviceProbe) {
        return cycle(mode, allowLargeStep, dryRun, corrector, serviceProbe, null);
    }

    /**
     * Whether polls every {@code pollInterval} send one request per server and decide on each server's
     * last polls: when they come as fast as a run of samples takes ({@link PollWindows#suit}), unless
     * the file says {@code runPerPoll}.
     */
    public boolean filtersAcrossPolls(Duration pollInterval) {
        return !file.runPerPoll() && PollWindows.suit(pollInterval, options);
    }

    /**
     * The cycle of a daemon that polls its selection every {@code pollInterval} (null: a single run),
     * filtering across polls where {@link #filtersAcrossPolls} says so.
     */
    public Cycle cycle(Mode mode, boolean allowLargeStep, boolean dryRun, Corrector corrector, Probe serviceProbe,
                       Duration pollInterval) {
        boolean acrossPolls = pollInterval != null && filtersAcrossPolls(pollInterval);
        // Lazy mode measures with one probe per check; optimize cycles still take the full set.
        ProbeRunner measuring = ProbeRunner.create(mode == Mode.LAZY || acrossPolls ? options.withSamples(1) : options);
        return new Cycle(new Cycle.Settings(mode, CorrectionPolicy.defaults().withAllowLargeStep(allowLargeStep),
                policy, strategy, candidates, dryRun),
                optimizer(dryRun), measuring, ntsProbes(dryRun), serviceProbe, corrector, store,
                acrossPolls ? new PollWindows() : null);
    }
}
