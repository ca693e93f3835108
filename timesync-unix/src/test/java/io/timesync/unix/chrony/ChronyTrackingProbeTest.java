package io.timesync.unix.chrony;

import io.timesync.time.Measurement;
import io.timesync.time.TimeSource;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.ntp.Leap;
import io.timesync.testing.ChronyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** chronyd's own view of the clock through the Probe contract, from a real chronyd. */
class ChronyTrackingProbeTest {

    @RegisterExtension
    static final ChronyExtension CHRONY = new ChronyExtension(6);

    private static ChronyTrackingProbe probe(Path socket) {
        return new ChronyTrackingProbe(new Chronyc(Path.of("chronyc"), socket, new ProcessCommandRunner(), Duration.ofSeconds(10)),
                TimeSource.system());
    }

    @Test
    void readsTheServicesViewAsOneSample() throws Exception {
        long before = TimeSource.system().wallClockNanos();
        Measurement m = probe(CHRONY.server().commandSocket()).measure();
        assertThat(m.answered()).as(m.error()).isTrue();
        assertThat(m.server().host()).isEqualTo("chronyd");
        assertThat(m.estimate().best().stratum()).isEqualTo(6);
        assertThat(m.estimate().best().leap()).isEqualTo(Leap.NONE);
        assertThat(m.estimate().delayNanos()).isZero();
        // Its only reference is the clock it reads, and -x keeps it from steering that clock: chronyc
        // reports a system time of exactly 0.000000000 s.
        assertThat(m.estimate().offsetNanos()).isZero();
        assertThat(m.estimate().best().t1UnixNanos()).isBetween(before, TimeSource.system().wallClockNanos());
        // The server timestamps carry the offset, so the on-wire arithmetic gives it back.
        assertThat(m.estimate().best().t2UnixNanos() - m.estimate().best().t1UnixNanos())
                .isCloseTo(m.estimate().offsetNanos(), org.assertj.core.data.Offset.offset(1L));
    }

    @Test
    void aSilentServiceIsAnUnansweredMeasurementWithTheReason() throws Exception {
        Measurement m = probe(CHRONY.server().directory().resolve("absent.sock")).measure();
        assertThat(m.answered()).isFalse();
        assertThat(m.error()).startsWith("chronyd does not answer");
    }
}
