package io.timesync.app;

import io.timesync.agent.Sleeper;
import io.timesync.time.TimeSource;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.platform.Host;
import io.timesync.platform.Platform;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The machine the commands run on: its OS platform, how its tools are run, its environment and user.
 * An application (or the CLI) chooses it once; tests pass one whose platform is forced and
 * whose runner answers with recorded outputs, so a command runs end to end on another OS's semantics.
 *
 * @param platform the running OS's platform
 * @param runner   how every OS tool is run
 * @param env      the environment
 * @param userName the user running TimeSync
 * @param userHome that user's home directory
 */
public record Machine(Platform platform, CommandRunner runner, Map<String, String> env, String userName, Path userHome) {

    public Machine {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(runner, "runner");
        env = Map.copyOf(env);
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(userHome, "userHome");
    }

    /**
     * What the platform's services act through on this machine: its runner, the system clock, a
     * sleeper on it; {@code foreign} when planning for another OS than this machine's.
     */
    public Host host(boolean foreign) {
        return new Host(runner, TimeSource.system(), Sleeper.on(TimeSource.system()), env, userHome, foreign);
    }

    /** This machine: the platform of the running OS, real processes, the real environment; the one real runner. */
    public static Machine running() {
        return new Machine(Platforms.current(), new ProcessCommandRunner(), System.getenv(), System.getProperty("user.name", ""),
                Path.of(System.getProperty("user.home")));
    }
}
