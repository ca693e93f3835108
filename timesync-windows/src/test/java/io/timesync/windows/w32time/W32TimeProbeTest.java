package io.timesync.windows.w32time;

import io.timesync.time.Measurement;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.ntp.Leap;
import io.timesync.probe.Probe;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** w32time's own view through the core Probe contract, and w32tm's stripchart as a skew measurement. */
class W32TimeProbeTest {

    private static final long READ_AT = 1_763_800_000_000_000_000L;

    /** A clock that always reads the same instant. */
    private static final TimeSource FIXED = new TimeSource() {
        @Override
        public long wallClockNanos() {
            return READ_AT;
        }

        @Override
        public long monotonicNanos() {
            return 0;
        }
    };

    private final FakeWindows windows = FakeWindows.standalone();
    private final Probe probe = new W32TimeProbe(windows, FIXED, Duration.ofSeconds(5));

    @Test
    void aSynchronisedServiceIsOneSampleWithItsPhaseOffset() throws Exception {
        windows.status = Recorded.crlf("status-verbose-de-wrapped.txt");
        Measurement m = probe.measure();
        assertThat(m.error()).isNull();
        assertThat(m.samples()).singleElement().satisfies(s -> {
            assertThat(s.offsetNanos()).isEqualTo(-371_700);
            assertThat(s.delayNanos()).isZero();
            assertThat(s.stratum()).isEqualTo(3);
            assertThat(s.leap()).isEqualTo(Leap.of(0));
            assertThat(s.rootDelayNanos()).isEqualTo(33_633_200);
            assertThat(s.referenceId()).isEqualTo(0xAC689AB6);
        });
        assertThat(m.estimate().offsetNanos()).isEqualTo(-371_700);
        assertThat(windows.calls).containsExactly(W32TimeCalls.STATUS);
        assertThat(probe.source()).contains("w32tm");
    }

    @Test
    void anUnsynchronisedOrStoppedServiceIsAnswerlessWithWhy() throws Exception {
        windows.status = Recorded.crlf("status-verbose-en-unsynced.txt");
        assertThat(probe.measure().error()).isEqualTo("w32time is not synchronised (source: Local CMOS Clock)");
        windows.state = ScOutput.STOPPED;
        Measurement stopped = probe.measure();
        assertThat(stopped.samples()).isEmpty();
        assertThat(stopped.error()).contains("The following error occurred: The service has not been started. (0x80070426)");
    }

    @Test
    void stripchartMeasuresTheMedianOfTheAnsweredSamplesOnPort123() throws Exception {
        // The port TimeSync measured on is not w32tm's: it asks port 123 of the host, as w32time will.
        ServerAddress dc = new ServerAddress("dcorp-dc.dollarcorp.moneycorp.local", 4123);
        StripchartProbe probe = new StripchartProbe(dc, 5, (argv, timeout) -> {
            assertThat(argv).containsExactly("w32tm", "/stripchart", "/computer:dcorp-dc.dollarcorp.moneycorp.local", "/dataonly",
                    "/samples:5");
            return new io.timesync.correct.CommandRunner.Result(argv, 0, Recorded.crlf("stripchart-dataonly-dc.txt"), "");
        }, TimeSource.system(), Duration.ofSeconds(20));
        Measurement m = probe.measure();
        assertThat(m.answered()).isTrue();
        assertThat(m.estimate().offsetNanos()).isEqualTo(469_300);
        assertThat(m.address()).isEqualTo("172.16.2.1");
        assertThat(m.server()).isEqualTo(new ServerAddress("dcorp-dc.dollarcorp.moneycorp.local", 123));
        assertThat(probe.source()).isEqualTo("dcorp-dc.dollarcorp.moneycorp.local:123 (w32tm /stripchart)");
        StripchartProbe silent = new StripchartProbe(new ServerAddress("x", 123), 2, (argv, timeout) -> new io.timesync.correct.CommandRunner.Result(argv, 0,
                "Tracking x [192.0.2.1:123].\r\nCollecting 2 samples.\r\n10:00:00, error: 0x800705B4\r\n10:00:02, error: 0x800705B4\r\n", ""),
                TimeSource.system(), Duration.ofSeconds(20));
        assertThat(silent.measure().error()).contains("answered none of 2").contains("0x800705B4");
        StripchartProbe stopped = new StripchartProbe(new ServerAddress("x", 123), 2, (argv, timeout) -> new io.timesync.correct.CommandRunner.Result(
                argv, -2147023834, Recorded.crlf("status-not-started.txt"), ""), TimeSource.system(), Duration.ofSeconds(20));
        assertThat(stopped.measure().error()).contains("w32tm /stripchart of x failed").contains("0x80070426");
        assertThatIllegalArgumentException().isThrownBy(() -> new StripchartProbe(dc, 0, (argv, t) -> null, TimeSource.system(),
                Duration.ofSeconds(1))).withMessageContaining("samples must be 1 to 100");
    }
}
