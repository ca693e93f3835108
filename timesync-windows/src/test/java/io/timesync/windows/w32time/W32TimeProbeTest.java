package io.timesync.windows.w32time;

import io.timesync.api.Measurement;
import io.timesync.api.ServerAddress;
import io.timesync.api.TimeSource;
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
        assertThat(windows.calls).containsExactly(W32TimeCommands.STATUS);
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
    void stripchartSkewIsTheMedianOfTheAnsweredSamples() throws Exception {
        ServerAddress dc = new ServerAddress("dcorp-dc.dollarcorp.moneycorp.local", 123);
        StripchartSkew skew = new StripchartSkew((argv, timeout) -> {
            assertThat(argv).containsExactly("w32tm", "/stripchart", "/computer:dcorp-dc.dollarcorp.moneycorp.local", "/dataonly",
                    "/samples:5");
            return new io.timesync.correct.CommandRunner.Result(argv, 0, Recorded.crlf("stripchart-dataonly-dc.txt"), "");
        }, Duration.ofSeconds(20));
        assertThat(skew.measure(dc, 5)).isEqualTo(469_300);
        StripchartSkew silent = new StripchartSkew((argv, timeout) -> new io.timesync.correct.CommandRunner.Result(argv, 0,
                "Tracking x [192.0.2.1:123].\r\nCollecting 2 samples.\r\n10:00:00, error: 0x800705B4\r\n10:00:02, error: 0x800705B4\r\n", ""),
                Duration.ofSeconds(20));
        assertThatThrownBy(() -> silent.measure(new ServerAddress("x", 123), 2)).isInstanceOf(IOException.class)
                .hasMessageContaining("answered none of 2 samples").hasMessageContaining("0x800705B4");
        assertThatIllegalArgumentException().isThrownBy(() -> W32TimeCommands.stripchart(new ServerAddress("x", 4123), 5))
                .withMessageContaining("port 123");
    }
}
