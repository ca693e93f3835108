package io.timesync.platform;

import io.timesync.agent.Sleeper;
import io.timesync.time.TimeSource;
import io.timesync.correct.CommandRunner;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a platform's services act through, built once where the program starts: every external
 * command goes through {@code runner}, every clock read through {@code time}, every wait through
 * {@code sleeper}. Tests pass a recording runner and see the exact argument lists.
 *
 * @param runner   how every OS tool is run
 * @param time     the clock
 * @param sleeper  how a service waits (e.g. between checks that a restarted daemon uses its new configuration)
 * @param env      the environment
 * @param userHome the user's home directory
 * @param foreign  whether TimeSync runs on another OS than the platform's: then a platform only plans,
 *                 it reads and runs nothing
 */
public record Host(CommandRunner runner, TimeSource time, Sleeper sleeper, Map<String, String> env, Path userHome,
                   boolean foreign) {

    public Host {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(sleeper, "sleeper");
        env = Map.copyOf(env);
        Objects.requireNonNull(userHome, "userHome");
    }
}
