package io.timesync.cli;

import io.timesync.platform.Platform;

import java.nio.file.Path;

/** Where the state lives: the option, else the configuration's, else the platform's default for this user. */
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
}
