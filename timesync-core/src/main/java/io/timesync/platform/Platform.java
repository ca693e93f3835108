package io.timesync.platform;

import io.timesync.time.ServerAddress;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.Corrector;
import io.timesync.probe.Probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One operating-system family's implementations and defaults: the one seam between TimeSync and the
 * OS. It detects the time service and gives its corrector, its own view, its peers, the doctor's checks
 * of it, its setup and the installer of TimeSync's periodic run; the code above it never asks which
 * platform it is on. The OS modules
 * provide these through {@link java.util.ServiceLoader}; the CLI picks one, in one place, by the
 * running OS's name. No other code looks at the OS name. Every command a platform's services run goes
 * through the {@link Host}'s runner.
 */
public interface Platform {

    /** A short name for messages, e.g. {@code linux}. */
    String name();

    /** Whether this platform serves the OS whose {@code os.name} property is {@code osName}. */
    boolean supports(String osName);

    /**
     * Whether a process of {@code userName} may change the system's time service (root on Unix). On
     * Windows, where membership of Administrators cannot be read from Java, this is false and the
     * OS refuses what needs elevation.
     */
    boolean privileged(String userName);

    /**
     * Whether {@link #privileged} can tell. Where it cannot (Windows: membership of Administrators is
     * not visible from Java), commands that need rights try anyway, and the OS's refusal is reported
     * as needing them.
     */
    default boolean knowsPrivilege() {
        return true;
    }

    /**
     * Whether this process runs with the rights to change the system, asking the OS through
     * {@code runner} where the user's name cannot tell (Windows: an elevated Administrator). This
     * chooses machine-wide or per-user directories; it grants nothing: the OS still refuses what it
     * refuses. By default, {@link #privileged(String)}.
     *
     * @throws InterruptedException when interrupted while asking
     */
    default boolean privileged(String userName, CommandRunner runner) throws InterruptedException {
        return privileged(userName);
    }

    /**
     * Where state (the memo) lives by default.
     *
     * @param privileged whether the process runs as root / Administrator
     * @param env        the environment (for XDG_* and %ProgramData% style variables)
     * @param userHome   the user's home directory
     */
    Path stateDirectory(boolean privileged, Map<String, String> env, Path userHome);

    /** Where the telemetry log lives by default; arguments as for {@link #stateDirectory}. */
    Path logDirectory(boolean privileged, Map<String, String> env, Path userHome);

    /**
     * The corrector for the service {@code request} names, or for the one detected under its root.
     *
     * @throws IOException with what to do, when the service is not supported, not installed or not usable
     */
    Corrector corrector(Host host, ServiceRequest request) throws IOException, InterruptedException;

    /**
     * The service's own view of the clock, read without the network ({@code chronyc -c tracking},
     * {@code w32tm /query /status}, ...), or empty when it cannot be read from here.
     *
     * @throws IOException when the service is not supported or its configuration is missing
     */
    Optional<Probe> serviceProbe(Host host, ServiceRequest request) throws IOException, InterruptedException;

    /**
     * Reads the sources of the service whenever asked, for the telemetry's reports; empty where the
     * service's own view names its one source.
     *
     * @throws IOException when the service is not supported
     */
    Optional<ServicePeers> peers(Host host, ServiceRequest request) throws IOException, InterruptedException;

    /** The time service found under {@code root}, with its own view and its sources. */
    ServiceState serviceState(Host host, Path root) throws InterruptedException;

    /**
     * What {@code timesync setup} does on the system under the request's root: where the time service is part
     * of the OS, what it reports instead of installing; elsewhere the plan that installs the service with the
     * system's packages, stops any other and enables and starts it. Planning changes nothing.
     *
     * @throws SetupRefusal when setup cannot be planned as asked, with what to do
     */
    ServiceSetup setup(Host host, SetupRequest request) throws SetupRefusal, InterruptedException;

    /**
     * Whether {@code service}, once setup ran its plan, is active under {@code root}. By default, whether the
     * service {@link #serviceState} finds is that one and active.
     */
    default boolean serviceActive(Host host, Path root, String service) throws InterruptedException {
        ServiceState state = serviceState(host, root);
        return service.equals(state.name()) && state.active();
    }

    /** The doctor's findings about the time service under {@code root}, read through the host's runner. */
    ServiceDiagnosis diagnose(Host host, Path root) throws InterruptedException;

    /**
     * What measures the skew, by the name to report, when TimeSync's own probe gets no answer from
     * {@code candidates}; none by default.
     */
    default Map<String, Probe> skewFallbacks(Host host, List<ServerAddress> candidates, int samples) {
        return Map.of();
    }

    /**
     * When {@code e} (or its cause) is the OS refusing for lack of rights that {@link #knowsPrivilege}
     * could not foresee, what to tell the user; else empty.
     */
    default Optional<String> privilegeRefusal(Throwable e) {
        return Optional.empty();
    }

    /**
     * The installer of TimeSync's periodic run or daemon on the system under {@code root}.
     *
     * @param wrapper the program named to run TimeSync as a service where the platform uses one (NSSM), or null
     * @throws IllegalArgumentException when {@code wrapper} is not usable
     */
    AgentInstaller installer(Host host, Path root, Path wrapper);
}
