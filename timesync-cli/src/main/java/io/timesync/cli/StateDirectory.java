package io.timesync.cli;

import io.timesync.platform.Platform;

import java.nio.file.Path;

/** Where the state (and the telemetry log) lives: the option, else the configuration's, else the platform's default for this user. */
final class StateDirectory {

    private StateDirectory() {
    }

    static Path resolve(Path option, Path configured) {
        if (option != null) {
            return option;
        }
        if (configured != null) {
            return configured;
        }
        Platform platform = Platforms.current();
        // Where rights cannot be told (Windows), the machine-wide state the service uses (%ProgramData%\TimeSync),
        // so that an elevated run and the scheduled one share one memo.
        boolean machineWide = !platform.knowsPrivilege() || platform.privileged(System.getProperty("user.name", ""));
        return platform.stateDirectory(machineWide, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The telemetry log's directory: the option, else the platform's default for this user. */
    static Path logs(Path option) {
        if (option != null) {
            return option;
        }
        Platform platform = Platforms.current();
        return platform.logDirectory(platform.privileged(System.getProperty("user.name", "")), System.getenv(),
                Path.of(System.getProperty("user.home")));
    }
}
