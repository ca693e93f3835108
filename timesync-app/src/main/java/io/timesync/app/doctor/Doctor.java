package io.timesync.app.doctor;

import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.app.Machine;
import io.timesync.app.StateDirectory;
import io.timesync.app.config.ConfigFile;
import io.timesync.app.config.Configuration;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.memo.JsonMemoStore;
import io.timesync.nts.NtsClient;
import io.timesync.platform.Host;
import io.timesync.platform.Platform;
import io.timesync.platform.ServiceDiagnosis;
import io.timesync.platform.ServiceTracking;
import io.timesync.probe.AddressText;
import io.timesync.probe.HostResolver;
import io.timesync.probe.Politeness;
import io.timesync.probe.Probe;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Candidates;
import io.timesync.unix.Firewalls;
import io.timesync.unix.host.RootPath;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Gathers what {@link DoctorChecks} judges: the time services and the OS's synchronisation flag (from
 * their tools, through a {@link CommandRunner}), DNS lookups and real NTP probes of the servers, NTS
 * measurements of the NTS servers (key establishment, then authenticated NTP, through the same
 * {@link NtsClient} as {@code probe --nts}), the firewall tools, the directories and the memo's lock.
 * Changes nothing.
 *
 * @param root        the system to look at
 * @param platform    the platform, which checks its time service
 * @param host        what the platform's checks run their tools through
 * @param resolver    how names are looked up
 * @param options     how servers are probed
 * @param nts         measures the NTS servers, or null when none is configured
 * @param stateDir    the state directory
 * @param logDir      the log directory
 * @param privileged  whether this process may change the system
 */
public record Doctor(Path root, Platform platform, Host host, HostResolver resolver, ProbeOptions options, NtsClient nts, Path stateDir,
              Path logDir, boolean privileged) {

    public Doctor {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(logDir, "logDir");
    }

    /** Two requests per address tell a lost packet from a blocked port; 2 s apart as the public pools ask. */
    public static final ProbeOptions DEFAULTS = new ProbeOptions(2, Politeness.MIN_POOL_SPACING, Duration.ofSeconds(1), 256);

    /**
     * What a checkup looks at: the servers named, else the configuration file's (plain and NTS), probed as
     * {@code probing} says over {@link #DEFAULTS}.
     *
     * @param servers    the plain NTP servers to check
     * @param ntsServers the NTS servers to check
     * @param options    how they are probed
     * @param nts        measures the NTS servers, or null when there are none
     */
    public record Targets(List<ServerAddress> servers, List<ServerAddress> ntsServers, ProbeOptions options, NtsClient nts) {

        /**
         * The servers to check.
         *
         * @param servers    plain servers named (empty: the file's)
         * @param ntsServers NTS servers named (empty: the file's)
         * @param ntsTrust   the CA file for NTS named, or null for the file's (or the JDK's trust store)
         * @throws IllegalArgumentException when a server, a value or the trust file is wrong
         */
        public static Targets choose(ConfigFile file, List<ServerAddress> servers, List<ServerAddress> ntsServers, Path ntsTrust,
                                     Configuration.Probing probing) {
            // Servers named are the ones checked; else the configuration's, plain and NTS.
            boolean named = !servers.isEmpty() || !ntsServers.isEmpty();
            List<ServerAddress> nts = named ? ntsServers : file.ntsServers();
            boolean noPlain = named ? servers.isEmpty() : file.pool() == null && file.onlyNtsServers();
            List<ServerAddress> plain = noPlain ? List.of() : Candidates.choose(servers, servers.isEmpty() ? file.pool() : null,
                    file.servers(), file.region(), ZoneId.systemDefault());
            ProbeOptions options = probing.over(DEFAULTS, Stream.concat(plain.stream(), nts.stream()).toList());
            // No state directory: doctor changes nothing, so it keeps no NTS session either.
            NtsClient client = nts.isEmpty() ? null
                    : Configuration.ntsClient(options, ntsTrust != null ? ntsTrust : file.ntsTrust(), null);
            return new Targets(plain, nts, options, client);
        }
    }

    /**
     * The doctor of {@code machine} looking at the system under {@code root}: for another system than this
     * one, at its machine-wide directories (as root would use them), not this user's.
     *
     * @param stateOption the state directory named, or null for the file's, else the platform's
     * @throws IOException when a directory of the system under {@code root} leads outside it
     */
    public static Doctor of(Machine machine, Path root, ConfigFile file, Path stateOption, Targets targets)
            throws IOException, InterruptedException {
        Platform platform = machine.platform();
        boolean privileged = platform.privileged(machine.userName());
        Path home = machine.userHome();
        Path logDir = StateDirectory.logs(machine, null);
        Path state = StateDirectory.resolve(machine, stateOption, file.stateDir());
        if (!RootPath.isRealSystem(root)) {
            RootPath under = RootPath.of(root);
            logDir = under.resolve(platform.logDirectory(true, machine.env(), home).toString(), "the log directory");
            if (stateOption == null && file.stateDir() == null) {
                state = under.resolve(platform.stateDirectory(true, machine.env(), home).toString(), "the state directory");
            }
        }
        return new Doctor(root, platform, machine.host(false), HostResolver.system(), targets.options(), targets.nts(), state,
                logDir, privileged);
    }

    /**
     * Runs every check, in the report's order.
     *
     * @param servers    the plain NTP servers
     * @param ntsServers the NTS servers ({@code HOST[:KE-PORT]}); needs {@link #nts()} when not empty
     */
    public List<Check> run(List<ServerAddress> servers, List<ServerAddress> ntsServers) throws InterruptedException {
        if (!ntsServers.isEmpty() && nts == null) {
            throw new IllegalArgumentException("NTS servers to check, but no NTS client");
        }
        boolean realSystem = RootPath.isRealSystem(root);
        List<Check> checks = new ArrayList<>();
        checks.add(DoctorChecks.privileges(realSystem, privileged));

        ServiceDiagnosis service = platform.diagnose(host, root);
        service.checks().forEach(d -> checks.add(Check.of(d)));

        List<DoctorChecks.Lookup> lookups = lookUp(servers);
        List<DoctorChecks.Lookup> ntsLookups = lookUp(ntsServers);
        checks.add(DoctorChecks.dns(Stream.concat(lookups.stream(), ntsLookups.stream()).toList()));
        List<Measurement> measurements;
        try (ProbeRunner probes = new ProbeRunner(options, TimeSource.system(), resolver, new SecureRandom())) {
            List<Measurement> plain = probes.probe(resolved(lookups));
            List<Firewalls.Firewall> firewalls = new Firewalls(root).detect();
            checks.add(DoctorChecks.ntp(lookups, plain, firewalls, !ntsServers.isEmpty()));
            measurements = plain;
            if (!ntsServers.isEmpty()) {
                List<Probe> ntsProbes = resolved(ntsLookups).stream().map(s -> nts.probe(s, options)).toList();
                List<Measurement> authenticated = probes.measure(ntsProbes);
                checks.add(DoctorChecks.nts(authenticated, plain.stream().anyMatch(Measurement::answered), firewalls));
                measurements = Stream.concat(plain.stream(), authenticated.stream().filter(Measurement::authenticated)).toList();
            }
        }

        checks.add(DoctorChecks.directory("state-dir", "state directory writable", stateDir, true));
        checks.add(DoctorChecks.directory("log-dir", "log directory writable", logDir, false));
        checks.add(DoctorChecks.lock(new JsonMemoStore(stateDir)));

        ServiceTracking tracking = service.tracking();
        checks.add(DoctorChecks.leap(tracking, measurements));
        checks.add(DoctorChecks.offset(tracking, measurements, CorrectionPolicy.defaults()));
        return checks;
    }

    private static List<ServerAddress> resolved(List<DoctorChecks.Lookup> lookups) {
        return lookups.stream().filter(DoctorChecks.Lookup::resolved).map(DoctorChecks.Lookup::server).toList();
    }

    /** Looks every name up at once: where DNS is broken each lookup may wait for the resolver's timeout. */
    private List<DoctorChecks.Lookup> lookUp(List<ServerAddress> servers) throws InterruptedException {
        if (servers.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(servers.size(), 16), task -> {
            Thread thread = new Thread(task, "timesync-doctor-dns");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<DoctorChecks.Lookup>> pending = new ArrayList<>();
            for (ServerAddress server : servers) {
                pending.add(pool.submit(() -> lookUp(server)));
            }
            List<DoctorChecks.Lookup> lookups = new ArrayList<>();
            for (Future<DoctorChecks.Lookup> lookup : pending) {
                try {
                    lookups.add(lookup.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("DNS lookup failed unexpectedly", e.getCause());
                }
            }
            return lookups;
        } finally {
            pool.shutdownNow();
        }
    }

    private DoctorChecks.Lookup lookUp(ServerAddress server) {
        try {
            InetAddress[] addresses = resolver.resolve(server.host());
            return new DoctorChecks.Lookup(server, Arrays.stream(addresses).map(AddressText::of).toList(), null);
        } catch (UnknownHostException e) {
            return new DoctorChecks.Lookup(server, List.of(), "'" + server.host() + "' does not resolve");
        }
    }
}
