package io.timesync.unix.chrony;

import io.timesync.correct.ProcessCommandRunner;
import io.timesync.testing.ChronyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** chronyc against a real chronyd's command socket. */
class ChronycTest {

    @RegisterExtension
    static final ChronyExtension CHRONY = new ChronyExtension(5);

    private static Chronyc chronyc(Path socket) {
        return new Chronyc(Path.of("chronyc"), socket, new ProcessCommandRunner(), Duration.ofSeconds(10));
    }

    @Test
    void argumentListsAreExact() {
        Chronyc c = new Chronyc(Path.of("/usr/bin/chronyc"), Path.of("/run/x.sock"), new ProcessCommandRunner(), Duration.ofSeconds(1));
        assertThat(c.reloadSources()).containsExactly("/usr/bin/chronyc", "-h", "/run/x.sock", "-n", "reload", "sources");
        assertThat(c.makestep()).containsExactly("/usr/bin/chronyc", "-h", "/run/x.sock", "-n", "makestep");
        assertThat(c.argv("-c", "tracking")).isEqualTo(List.of("/usr/bin/chronyc", "-h", "/run/x.sock", "-n", "-c", "tracking"));
        // This machine's chronyd may also be asked on its loopback command port, as chronyc does by default.
        assertThat(Chronyc.ofThisMachine(Path.of("chronyc"), Path.of("/run/chrony/chronyd.sock"), new ProcessCommandRunner(),
                Duration.ofSeconds(1)).argv("-c", "tracking"))
                .containsExactly("chronyc", "-h", "/run/chrony/chronyd.sock,127.0.0.1,::1", "-n", "-c", "tracking");
        // No socket is no command: chronyc alone would ask this machine's chronyd, whatever --root says.
        assertThatNullPointerException().isThrownBy(() -> new Chronyc(Path.of("chronyc"), null, new ProcessCommandRunner(),
                Duration.ofSeconds(1)));
    }

    @Test
    void readsTrackingOfARealChronyd() throws Exception {
        ChronyTracking t = chronyc(CHRONY.server().commandSocket()).tracking();
        assertThat(t.stratum()).isEqualTo(5);
        assertThat(t.synchronised()).isTrue();
        assertThat(chronyc(CHRONY.server().commandSocket()).sources()).isEmpty();
        // With the loopback fallback, the socket is still asked first.
        assertThat(Chronyc.ofThisMachine(Path.of("chronyc"), CHRONY.server().commandSocket(), new ProcessCommandRunner(),
                Duration.ofSeconds(10)).tracking().stratum()).isEqualTo(5);
    }

    @Test
    void aDaemonThatIsNotThereIsAClearError() {
        assertThatThrownBy(() -> chronyc(CHRONY.server().directory().resolve("absent.sock")).tracking())
                .isInstanceOf(IOException.class).hasMessageContaining("tracking failed");
    }
}
