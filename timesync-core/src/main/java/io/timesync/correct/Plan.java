package io.timesync.correct;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The typed steps of a correction, in order. A plan is data: printing it is the dry run, and
 * applying it is done by the {@link Corrector} that made it.
 *
 * @param service the OS time service the plan drives
 * @param steps   the steps, in order
 * @param reason  why this plan (the policy's decision in words)
 */
public record Plan(String service, List<Step> steps, String reason) {

    /** Copies the list so the record is immutable. */
    public Plan {
        Objects.requireNonNull(service, "service");
        steps = List.copyOf(steps);
    }

    /** Whether the plan changes nothing. */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** One step of a plan. */
    public sealed interface Step permits WriteFile, DeleteFile, RunCommand, SetValue, RestartService, StepClock,
            SlewClock {
    }

    /**
     * Replace a file's content atomically (a backup is taken first).
     *
     * @param path    the file
     * @param content the complete new content
     */
    public record WriteFile(Path path, String content) implements Step {
    }

    /**
     * Remove a file TimeSync owns (nothing happens when it is already gone).
     *
     * @param path the file
     */
    public record DeleteFile(Path path) implements Step {
    }

    /**
     * Run a command: an argument list, never a shell string.
     *
     * @param argv    program and arguments
     * @param timeout how long it may take
     */
    public record RunCommand(List<String> argv, Duration timeout) implements Step {
        /** Copies the list so the record is immutable. */
        public RunCommand {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv must name a program");
            }
        }
    }

    /**
     * Set one named value in a store of settings (the Windows registry, for one) by running the command that sets it.
     * The value is data, so the corrector backs up and verifies it from these fields, and a dry run shows the exact
     * command line.
     *
     * @param store what holds the setting, e.g. {@code registry}
     * @param key   where in the store, e.g. a registry key
     * @param name  the value's name within the key
     * @param type  the value's type as the store names it, e.g. {@code REG_DWORD}
     * @param value the value as the command writes it
     * @param argv  the command that sets it: program and arguments, never a shell string
     */
    public record SetValue(String store, String key, String name, String type, String value, List<String> argv)
            implements Step {
        /** Copies the list so the record is immutable. */
        public SetValue {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv must name the program that sets " + key + " " + name);
            }
        }
    }

    /**
     * Restart an OS service.
     *
     * @param name the service's name
     */
    public record RestartService(String name) implements Step {
    }

    /**
     * Step the clock through the service at once.
     *
     * @param nanos the amount, positive forward
     * @param argv  the command that makes the service step (e.g. {@code chronyc -h SOCKET makestep}), so that a
     *              dry run shows it; empty where another step of the plan makes the service step (a restart, a resync)
     */
    public record StepClock(long nanos, List<String> argv) implements Step {
        /** Copies the list so the record is immutable. */
        public StepClock {
            argv = List.copyOf(argv);
        }

        /** A step that another step of the plan makes the service take. */
        public StepClock(long nanos) {
            this(nanos, List.of());
        }
    }

    /**
     * Let the service slew the clock gradually.
     *
     * @param nanos the amount, positive forward
     */
    public record SlewClock(long nanos) implements Step {
    }
}
