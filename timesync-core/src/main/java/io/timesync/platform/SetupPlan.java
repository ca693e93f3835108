package io.timesync.platform;

import io.timesync.correct.Plan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How setup puts a time service in place on the system it was asked about: what it found there and the
 * commands to run. An empty plan means there is nothing to do ({@link Plan#reason()} says why).
 *
 * @param system          the system's name for people (os-release's PRETTY_NAME, else the platform's name)
 * @param packageManager  the package manager's program, or {@code none}
 * @param init            the init system, as reported
 * @param plan            the commands, in order
 * @param installs        whether the plan installs a package
 * @param needsPrivilege  whether running the plan needs root (a Homebrew install must not run as root)
 * @param simulation      the package manager's own dry run of the install, where asked for, possible and run
 */
public record SetupPlan(String system, String packageManager, String init, Plan plan, boolean installs,
                        boolean needsPrivilege, Optional<Simulation> simulation) implements ServiceSetup {

    public SetupPlan {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(packageManager, "packageManager");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(simulation, "simulation");
    }

    /** The package manager's own dry run: its argument list, exit code (-1 when it could not start) and output. */
    public record Simulation(List<String> argv, int exitCode, String output) {

        public Simulation {
            argv = List.copyOf(argv);
        }
    }
}
