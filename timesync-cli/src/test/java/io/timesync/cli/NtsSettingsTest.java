package io.timesync.cli;

import io.timesync.api.ServerAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The configuration's NTS keys: nts, ntsTrust, requireNts. */
class NtsSettingsTest {

    @TempDir
    Path dir;

    @Test
    void ntsServersTakeTheKePortByDefault() throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), """
                {"nts": ["time.cloudflare.com", "nts.example:1234"], "ntsTrust": "/etc/ca.pem", "requireNts": true}
                """);
        OptimizeSettings s = OptimizeSettings.read(file);
        assertThat(s.ntsServers()).containsExactly(new ServerAddress("time.cloudflare.com", 4460),
                new ServerAddress("nts.example", 1234));
        assertThat(s.ntsTrust()).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(s.requireNts()).isTrue();
        assertThat(OptimizeSettings.none().requireNts()).isFalse();
        assertThat(OptimizeSettings.none().ntsServers()).isEmpty();
    }

    @Test
    void badValuesNameTheKey() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.properties"), "requireNts=maybe\nnts=bad host\n");
        OptimizeSettings s = OptimizeSettings.read(bad);
        assertThatIllegalArgumentException().isThrownBy(s::requireNts).withMessageContaining("requireNts");
        assertThatIllegalArgumentException().isThrownBy(s::ntsServers).withMessageContaining("nts");
    }
}
