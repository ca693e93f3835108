package io.timesync.unix.timesyncd;

import io.timesync.time.Measurement;
import io.timesync.time.TimeSource;
import io.timesync.correct.CommandRunner;
import io.timesync.ntp.Leap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** systemd-timesyncd's view, parsed from real {@code timedatectl timesync-status} outputs (see the resources' README). */
class TimesyncdProbeTest {

    static final List<String> ARGV = List.of("timedatectl", "timesync-status");
    static final long READ_AT = 1_700_000_000_000_000_000L;
    static final TimeSource FIXED = new TimeSource() {
        @Override
        public long wallClockNanos() {
            return READ_AT;
        }

        @Override
        public long monotonicNanos() {
            return 0;
        }
    };

    static String resource(String name) throws IOException {
        try (InputStream in = TimesyncdProbeTest.class.getResourceAsStream("/timesyncd/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Answers only the exact command, with {@code stdout} and {@code exit}. */
    static CommandRunner answering(int exit, String stdout) {
        return (argv, timeout) -> {
            assertThat(argv).isEqualTo(ARGV);
            return new CommandRunner.Result(argv, exit, stdout, exit == 0 ? "" : "Failed to query server: Connection refused");
        };
    }

    @Test
    void aContactedServerGivesTheOffsetStratumLeapAndRootDistance() throws Exception {
        Measurement m = new TimesyncdProbe(ARGV, answering(0, resource("timesync-status-debian.txt")), FIXED,
                Duration.ofSeconds(5)).measure();
        assertThat(m.answered()).isTrue();
        assertThat(m.address()).isEqualTo("3.debian.pool.ntp.org");
        assertThat(m.estimate().offsetNanos()).isEqualTo(-1_087_495_000L);
        assertThat(m.estimate().best().stratum()).isEqualTo(2);
        assertThat(m.estimate().best().leap()).isEqualTo(Leap.NONE);
        assertThat(m.estimate().best().t1UnixNanos()).isEqualTo(READ_AT);
        assertThat(m.estimate().best().rootDispersionNanos()).isEqualTo(40_580_000L);
        assertThat(m.estimate().best().referenceId()).isEqualTo(0x596DFB17);
    }

    @Test
    void theStatusFieldsParse() throws Exception {
        TimesyncStatus s = TimesyncStatus.parse(resource("timesync-status-debian.txt"));
        assertThat(s.delayNanos()).isEqualTo(2_156_880_000L);
        assertThat(s.jitterNanos()).isEqualTo(2_300_948_000L);
        assertThat(TimesyncStatus.parseSpan("34min 8s", "Poll interval")).isEqualTo(2_048_000_000_000L);
        assertThat(TimesyncStatus.parseSpan("1us", "Precision")).isEqualTo(1_000L);
        assertThat(TimesyncStatus.parseSpan("+85us", "Offset")).isEqualTo(85_000L);
        assertThat(TimesyncStatus.parseSpan("-1.5ms", "Offset")).isEqualTo(-1_500_000L);
        assertThatThrownBy(() -> TimesyncStatus.parseSpan("soon", "Offset")).hasMessageContaining("Offset: 'soon' is not a time span");
    }

    @Test
    void noContactYetIsAnUnansweredMeasurementNamingTheServer() throws Exception {
        Measurement m = new TimesyncdProbe(ARGV, answering(0, resource("timesync-status-no-contact.txt")), FIXED,
                Duration.ofSeconds(5)).measure();
        assertThat(m.answered()).isFalse();
        assertThat(m.error()).contains("no answer from n/a (192.168.1.253:1234)");
    }

    @Test
    void aFailingTimedatectlIsReportedNotThrown() throws Exception {
        Measurement m = new TimesyncdProbe(ARGV, answering(1, ""), FIXED, Duration.ofSeconds(5)).measure();
        assertThat(m.answered()).isFalse();
        assertThat(m.error()).contains("timedatectl failed: Failed to query server");
    }
}
