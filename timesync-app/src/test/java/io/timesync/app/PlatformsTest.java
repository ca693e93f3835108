package io.timesync.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformsTest {

    @ParameterizedTest
    @CsvSource({"Linux,linux", "FreeBSD,linux", "Mac OS X,macos", "Windows 11,windows", "Windows Server 2022,windows"})
    void choosesThePlatformByOsName(String osName, String platform) {
        assertThat(Platforms.forOs(osName).name()).isEqualTo(platform);
    }
}
