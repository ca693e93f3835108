package io.timesync.app;

import io.timesync.correct.CommandRunner;
import io.timesync.windows.WindowsPlatform;
import io.timesync.windows.w32time.Recorded;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where state and status.log go by default, with the machine (platform, environment, user, runner)
 * passed in: on Windows one directory for both, %ProgramData%\TimeSync for SYSTEM and an elevated
 * Administrator (told by {@code whoami /groups}), %LOCALAPPDATA%\TimeSync otherwise.
 */
class StateDirectoryTest {

    private static final Map<String, String> ENV = Map.of("ProgramData", "D:\\Data", "LOCALAPPDATA", "C:\\Users\\ann\\AppData\\Local");
    private static final Path HOME = Path.of("C:\\Users\\ann");

    private static CommandRunner whoami(String recording) {
        return (argv, timeout) -> {
            assertThat(argv).isEqualTo(WindowsPlatform.WHOAMI_GROUPS);
            return new CommandRunner.Result(argv, 0, Recorded.crlf(recording), "");
        };
    }

    private static Machine windows(String user, CommandRunner runner) {
        return new Machine(Platforms.forName("windows"), runner, ENV, user, HOME);
    }

    @Test
    void anElevatedAdministratorUsesProgramDataForStateAndLogs() throws Exception {
        Machine elevated = windows("ann", whoami("whoami-groups-high.txt"));
        assertThat(StateDirectory.resolve(elevated, null, null)).isEqualTo(Path.of("D:\\Data", "TimeSync"));
        assertThat(StateDirectory.logs(elevated, null)).isEqualTo(Path.of("D:\\Data", "TimeSync"));
    }

    @Test
    void aPromptThatIsNotElevatedUsesTheUsersLocalAppData() throws Exception {
        Machine plain = windows("ann", whoami("whoami-groups-medium.txt"));
        assertThat(StateDirectory.resolve(plain, null, null)).isEqualTo(Path.of("C:\\Users\\ann\\AppData\\Local", "TimeSync"));
        assertThat(StateDirectory.logs(plain, null)).isEqualTo(StateDirectory.resolve(plain, null, null));
        // whoami missing or failing: not known to be elevated, so the user's own directory.
        CommandRunner broken = (argv, timeout) -> {
            throw new IOException("Cannot run program \"whoami\"");
        };
        assertThat(StateDirectory.resolve(windows("ann", broken), null, null))
                .isEqualTo(Path.of("C:\\Users\\ann\\AppData\\Local", "TimeSync"));
    }

    @Test
    void systemIsMachineWideWithoutAskingAndOptionsComeFirst() throws Exception {
        CommandRunner none = (argv, timeout) -> {
            throw new AssertionError("SYSTEM needs no whoami, but ran " + argv);
        };
        Machine system = windows("SYSTEM", none);
        assertThat(StateDirectory.resolve(system, null, null)).isEqualTo(Path.of("D:\\Data", "TimeSync"));
        assertThat(StateDirectory.resolve(system, Path.of("opt"), Path.of("conf"))).isEqualTo(Path.of("opt"));
        assertThat(StateDirectory.resolve(system, null, Path.of("conf"))).isEqualTo(Path.of("conf"));
        assertThat(StateDirectory.logs(system, Path.of("logs"))).isEqualTo(Path.of("logs"));
        // Without %ProgramData% in the environment, Windows' default.
        Machine bare = new Machine(Platforms.forName("windows"), none, Map.of(), "SYSTEM", HOME);
        assertThat(StateDirectory.logs(bare, null)).isEqualTo(Path.of("C:\\ProgramData", "TimeSync"));
    }
}
