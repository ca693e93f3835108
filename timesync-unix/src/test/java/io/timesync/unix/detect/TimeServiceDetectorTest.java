package io.timesync.unix.detect;

import io.timesync.correct.CommandRunner;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.testing.ChronyServer;
import io.timesync.unix.detect.TimeServiceDetector.Found;
import io.timesync.unix.detect.TimeServiceDetector.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimeServiceDetectorTest {

    private static final CommandRunner MUST_NOT_RUN = (argv, timeout) -> {
        throw new AssertionError("no tool may be asked about a system under another root: " + argv);
    };

    @TempDir
    Path root;

    private TimeServiceDetector detector(CommandRunner runner) {
        return new TimeServiceDetector(root, runner, Duration.ofSeconds(10));
    }

    @Test
    void aRunningChronydUnderTheRootIsFoundWithItsTracking() throws Exception {
        try (ChronyServer chrony = ChronyServer.start(Files.createDirectories(root.resolve("run")), 4)) {
            Files.createDirectories(root.resolve("etc/chrony"));
            Files.writeString(root.resolve("etc/chrony/chrony.conf"),
                    "bindcmdaddress /" + root.relativize(chrony.commandSocket()) + "\n");
            Found found = detector(new ProcessCommandRunner()).detect().orElseThrow();
            assertThat(found.service()).isEqualTo(Service.CHRONY);
            assertThat(found.active()).isTrue();
            assertThat(found.tracking().stratum()).isEqualTo(4);
        }
        // Stopped: still installed, no longer active.
        Found stopped = detector(new ProcessCommandRunner()).detect().orElseThrow();
        assertThat(stopped.service()).isEqualTo(Service.CHRONY);
        assertThat(stopped.installed()).isTrue();
        assertThat(stopped.active()).isFalse();
        assertThat(stopped.detail()).startsWith("chronyd does not answer");
    }

    @Test
    void configurationFilesTellWhatIsInstalled() throws Exception {
        Files.createDirectories(root.resolve("etc/ntpsec"));
        Files.writeString(root.resolve("etc/ntpsec/ntp.conf"), "pool 0.debian.pool.ntp.org iburst\n");
        Files.createDirectories(root.resolve("lib/systemd/system"));
        Files.writeString(root.resolve("lib/systemd/system/systemd-timesyncd.service"), "[Unit]\n");
        List<Found> all = detector(MUST_NOT_RUN).detectAll();
        assertThat(all).extracting(Found::service).containsExactly(Service.CHRONY, Service.NTPD, Service.TIMESYNCD,
                Service.TIMED);
        assertThat(all).extracting(Found::installed).containsExactly(false, true, true, false);
        assertThat(all).extracting(Found::active).containsOnly(false);
        assertThat(detector(MUST_NOT_RUN).detect().orElseThrow().service()).isEqualTo(Service.NTPD);
    }

    @Test
    void ntpsecAndTheClassicNtpdAreToldApartFromTheirFiles() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/ntp.conf"), "pool 0.debian.pool.ntp.org iburst\n");
        assertThat(detector(MUST_NOT_RUN).detect().orElseThrow().variant()).isNull();
        Files.createDirectories(root.resolve("lib/systemd/system"));
        Files.writeString(root.resolve("lib/systemd/system/ntp.service"), "[Unit]\n");
        assertThat(detector(MUST_NOT_RUN).detect().orElseThrow().variant()).isEqualTo("ntp");
        Files.writeString(root.resolve("lib/systemd/system/ntpsec.service"), "[Unit]\n");
        Found ntpsec = detector(MUST_NOT_RUN).detect().orElseThrow();
        assertThat(ntpsec.service()).isEqualTo(Service.NTPD);
        assertThat(ntpsec.variant()).isEqualTo("ntpsec");
        assertThat(ntpsec.active()).isFalse();
        assertThat(ntpsec.frequencyPpm()).isNull();
    }

    @Test
    void anNtpdPidFileNamingALiveNtpdMeansItRuns() throws Exception {
        Files.createDirectories(root.resolve("etc/ntpsec"));
        Files.writeString(root.resolve("etc/ntpsec/ntp.conf"), "pool 0.debian.pool.ntp.org iburst\n");
        Files.createDirectories(root.resolve("run"));
        Files.writeString(root.resolve("run/ntpd.pid"), "4242\n");
        Files.createDirectories(root.resolve("proc/4242"));
        // A pid that another program has taken since is not ntpd.
        Files.writeString(root.resolve("proc/4242/comm"), "bash\n");
        assertThat(detector(MUST_NOT_RUN).detect().orElseThrow().active()).isFalse();
        Files.writeString(root.resolve("proc/4242/comm"), "ntpd\n");
        Found running = detector(MUST_NOT_RUN).detect().orElseThrow();
        assertThat(running.active()).isTrue();
        assertThat(running.detail()).isEqualTo("ntpd runs (pid 4242 from " + root.resolve("run/ntpd.pid")
                + ") but ntpq does not answer (" + root.resolve("etc/ntpsec/ntp.conf") + ")");
        Files.writeString(root.resolve("run/ntpd.pid"), "../1\n");
        assertThat(detector(MUST_NOT_RUN).detect().orElseThrow().active()).isFalse();
    }

    @Test
    void macOsTimedIsFoundFromItsProgram() throws Exception {
        Files.createDirectories(root.resolve("usr/libexec"));
        Files.writeString(root.resolve("usr/libexec/timed"), "");
        Found timed = detector(MUST_NOT_RUN).detect().orElseThrow();
        assertThat(timed.service()).isEqualTo(Service.TIMED);
        assertThat(timed.installed()).isTrue();
        assertThat(timed.active()).isFalse();
    }

    @Test
    void nothingInstalledNothingFound() throws Exception {
        assertThat(detector(new ProcessCommandRunner()).detect()).isEmpty();
    }
}
