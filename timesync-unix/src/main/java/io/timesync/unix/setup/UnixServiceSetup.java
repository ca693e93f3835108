package io.timesync.unix.setup;

import io.timesync.correct.CommandRunner;
import io.timesync.correct.Plan;
import io.timesync.platform.Host;
import io.timesync.platform.SetupPlan;
import io.timesync.platform.SetupRefusal;
import io.timesync.platform.SetupRefusal.Kind;
import io.timesync.platform.SetupRequest;
import io.timesync.unix.detect.TimeServiceDetector;
import io.timesync.unix.detect.TimeServiceDetector.Found;
import io.timesync.unix.detect.TimeServiceDetector.Service;
import io.timesync.unix.host.InitSystem;
import io.timesync.unix.host.OutsideRootException;
import io.timesync.unix.host.RootPath;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code timesync setup} on Linux and macOS: reads the system (os-release, package manager, init system, the
 * time services there) and plans with {@link TimeServiceSetup}; on a dry run that installs, adds the package
 * manager's own simulation where it has one.
 */
public final class UnixServiceSetup {

    private static final Duration SIMULATION_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DETECT_TIMEOUT = Duration.ofSeconds(5);

    private final Host host;

    public UnixServiceSetup(Host host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /** The plan for {@code request}, with {@code platformName} as the system's name where it has no os-release. */
    public SetupPlan plan(SetupRequest request, String platformName) throws SetupRefusal, InterruptedException {
        Path root = request.root();
        Service requested = null;
        if (request.service() != null) {
            requested = TimeServiceSetup.parseName(request.service()).orElseThrow(() -> new SetupRefusal(Kind.BAD_REQUEST,
                    "'" + request.service() + "' is not a time service TimeSync sets up (expected chrony, ntpsec or timesyncd)",
                    null));
        }
        TimeServiceSetup setup = new TimeServiceSetup(root);
        Optional<OsRelease> os;
        try {
            os = OsRelease.read(root);
        } catch (OutsideRootException e) {
            throw new SetupRefusal(Kind.OUTSIDE_ROOT, e.getMessage(), e);
        } catch (IOException e) {
            throw new SetupRefusal(Kind.UNREADABLE, "cannot read os-release: " + e.getMessage(), e);
        }
        Optional<PackageManager> pm = setup.packageManager(os);
        InitSystem init = setup.init();
        List<Found> found = new TimeServiceDetector(root, host.runner(), DETECT_TIMEOUT).detectAll();
        Plan plan;
        try {
            plan = setup.plan(requested, found, pm.orElse(null), init);
        } catch (TimeServiceSetup.SetupException e) {
            throw new SetupRefusal(Kind.UNAVAILABLE, e.getMessage(), e);
        }
        Service chosen = TimeServiceSetup.parseName(plan.service()).orElseThrow();
        boolean installs = !plan.isEmpty() && found.stream().noneMatch(f -> f.service() == chosen && f.installed());
        if (installs && !request.dryRun() && !RootPath.isRealSystem(root)) {
            throw new SetupRefusal(Kind.BAD_REQUEST, "packages cannot be installed into another root (--root " + root
                    + "): run setup inside that system, or add --dry-run", null);
        }
        Optional<SetupPlan.Simulation> simulation = request.dryRun() && installs
                ? simulate(root, pm.get(), List.of(TimeServiceSetup.packageName(chosen, pm.get()).orElseThrow()))
                : Optional.empty();
        // Homebrew refuses to run as root, so a brew install needs no privileges.
        boolean needsPrivilege = !(installs && pm.get() == PackageManager.BREW);
        return new SetupPlan(os.map(OsRelease::prettyName).orElse(platformName), pm.map(PackageManager::program).orElse("none"),
                InitSystem.describe(root), plan, installs, needsPrivilege, simulation);
    }

    /** Whether {@code service} is active under {@code root}. */
    public boolean active(Path root, String service) throws InterruptedException {
        Optional<Service> wanted = TimeServiceSetup.parseName(service);
        return wanted.isPresent() && new TimeServiceDetector(root, host.runner(), DETECT_TIMEOUT).detectAll().stream()
                .anyMatch(f -> f.service() == wanted.get() && f.active());
    }

    /** The package manager's own simulation of installing {@code packages}, where it has one and this is the system. */
    private Optional<SetupPlan.Simulation> simulate(Path root, PackageManager pm, List<String> packages)
            throws InterruptedException {
        Optional<List<String>> argv = pm.simulateArgv(packages);
        if (argv.isEmpty() || !RootPath.isRealSystem(root)) {
            return Optional.empty();
        }
        try {
            CommandRunner.Result r = host.runner().run(argv.get(), SIMULATION_TIMEOUT);
            return Optional.of(new SetupPlan.Simulation(argv.get(), r.exitCode(), (r.stdout() + r.stderr()).strip()));
        } catch (IOException e) {
            return Optional.of(new SetupPlan.Simulation(argv.get(), -1, e.getMessage()));
        }
    }
}
