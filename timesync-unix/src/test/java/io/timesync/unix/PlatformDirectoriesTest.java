package io.timesync.unix;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformDirectoriesTest {

    private static final Path HOME = Path.of("/home/ada");

    @Test
    void linuxUsesSystemDirectoriesAsRootAndXdgOtherwise() {
        LinuxPlatform linux = new LinuxPlatform();
        assertThat(linux.stateDirectory(true, Map.of(), HOME)).isEqualTo(Path.of("/var/lib/timesync"));
        assertThat(linux.logDirectory(true, Map.of(), HOME)).isEqualTo(Path.of("/var/log/timesync"));
        assertThat(linux.stateDirectory(false, Map.of(), HOME)).isEqualTo(Path.of("/home/ada/.local/state/timesync"));
        assertThat(linux.stateDirectory(false, Map.of("XDG_STATE_HOME", "/xdg"), HOME)).isEqualTo(Path.of("/xdg/timesync"));
        assertThat(linux.stateDirectory(false, Map.of("XDG_STATE_HOME", "relative"), HOME))
                .isEqualTo(Path.of("/home/ada/.local/state/timesync"));
        assertThat(linux.logDirectory(false, Map.of(), HOME)).isEqualTo(Path.of("/home/ada/.local/state/timesync/log"));
    }

    @Test
    void macUsesLibrary() {
        MacPlatform mac = new MacPlatform();
        assertThat(mac.stateDirectory(true, Map.of(), HOME)).isEqualTo(Path.of("/Library/Application Support/TimeSync"));
        assertThat(mac.logDirectory(false, Map.of(), HOME)).isEqualTo(Path.of("/home/ada/Library/Logs/TimeSync"));
    }

    @Test
    void claimsTheRightOperatingSystems() {
        assertThat(new LinuxPlatform().supports("Linux")).isTrue();
        assertThat(new LinuxPlatform().supports("Mac OS X")).isFalse();
        assertThat(new LinuxPlatform().supports("Windows 10")).isFalse();
        assertThat(new MacPlatform().supports("Mac OS X")).isTrue();
    }
}
