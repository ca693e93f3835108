package io.timesync.cli;

import java.nio.file.Path;

/**
 * Where the state (and the telemetry log) lives: the option, else the configuration's, else the
 * platform's default for this process: machine-wide when it may change the system (root; on Windows
 * SYSTEM or an elevated Administrator, so that the elevated prompt and the scheduled task share one
 * memo and one status.log), the user's own otherwise.
 */
final class StateDirectory {

    private StateDirectory() {
    }

    static Path resolve(Machine machine, Path option, Path configured) throws InterruptedException {
        if (option != null) {
            return option;
        }
        if (configured != null) {
            return configured;
        }
        return machine.platform().stateDirectory(machineWide(machine), machine.env(), machine.userHome());
    }

    /** The telemetry log's directory: the option, else the platform's default for this process. */
    static Path logs(Machine machine, Path option) throws InterruptedException {
        if (option != null) {
            return option;
        }
        return machine.platform().logDirectory(machineWide(machine), machine.env(), machine.userHome());
    }

    /** Whether this process uses the machine-wide directories. */
    static boolean machineWide(Machine machine) throws InterruptedException {
        return machine.platform().privileged(machine.userName(), machine.runner());
    }
}
