package io.timesync.windows;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WindowsPlatformTest {

    private final WindowsPlatform windows = new WindowsPlatform();

    @Test
    void keepsStateAndLogsTogetherInProgramDataWhenPrivilegedAndLocalAppDataOtherwise() {
        // Path separators are the running OS's; compare the parts.
        assertThat(windows.stateDirectory(true, Map.of("ProgramData", "D:\\Data"), Path.of("home")))
                .isEqualTo(Path.of("D:\\Data", "TimeSync"));
        assertThat(windows.stateDirectory(true, Map.of(), Path.of("home"))).isEqualTo(Path.of("C:\\ProgramData", "TimeSync"));
        assertThat(windows.stateDirectory(false, Map.of("LOCALAPPDATA", "L"), Path.of("home"))).isEqualTo(Path.of("L", "TimeSync"));
        assertThat(windows.logDirectory(false, Map.of(), Path.of("home")))
                .isEqualTo(Path.of("home", "AppData", "Local", "TimeSync"));
        assertThat(windows.logDirectory(true, Map.of("ProgramData", "D:\\Data"), Path.of("home")))
                .isEqualTo(windows.stateDirectory(true, Map.of("ProgramData", "D:\\Data"), Path.of("home")));
    }

    @Test
    void claimsOnlyWindows() {
        assertThat(windows.supports("Windows Server 2022")).isTrue();
        assertThat(windows.supports("Linux")).isFalse();
    }
}
