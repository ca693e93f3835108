package io.timesync.api;

import io.timesync.time.ServerAddress;
import io.timesync.probe.SecureProbes;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Without timesync-nts (core's tests do not have it), asking for NTS names the artifact to add. */
class TimeSyncWithoutNtsTest {

    @Test
    void ntsIsNotFoundWithoutItsArtifact() {
        assertThat(SecureProbes.find()).isEmpty();
    }

    @Test
    void ntsServersNameTheMissingArtifact() {
        assertThatIllegalStateException().isThrownBy(() -> TimeSync.builder().ntsServers("time.cloudflare.com"))
                .withMessageContaining("io.timesync:timesync-nts");
        assertThatIllegalStateException().isThrownBy(() -> TimeSync.builder().ntsTrust(Path.of("ca.pem")))
                .withMessageContaining("io.timesync:timesync-nts");
    }

    @Test
    void plainServersNeedNoNts() {
        assertThat(TimeSync.builder().servers("127.0.0.1").build().servers())
                .containsExactly(new ServerAddress("127.0.0.1", ServerAddress.NTP_PORT));
    }
}
