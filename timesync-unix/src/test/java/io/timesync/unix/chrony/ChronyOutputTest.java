package io.timesync.unix.chrony;

import io.timesync.ntp.Leap;
import io.timesync.unix.chrony.ChronySource.State;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The parsers on outputs recorded from a real chronyd (see src/test/resources/chrony/README.md). */
class ChronyOutputTest {

    private static String recorded(String name) throws IOException {
        try (InputStream in = ChronyOutputTest.class.getResourceAsStream("/chrony/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void synchronisedTracking() throws Exception {
        ChronyTracking t = ChronyTracking.parse(recorded("tracking-synchronised.csv"));
        assertThat(t.referenceId()).isEqualTo(0x7F000001);
        assertThat(t.referenceName()).isEqualTo("127.0.0.1");
        assertThat(t.stratum()).isEqualTo(3);
        assertThat(t.referenceTimeUnixNanos()).isEqualTo(1_795_324_283_090_042_337L);
        // "-0.000001572": chronyc's text calls this "fast": the local clock is ahead, so reference − local < 0.
        assertThat(t.skewNanos()).isEqualTo(-1_572);
        assertThat(t.lastOffsetNanos()).isEqualTo(-5);
        assertThat(t.frequencyPpm()).isEqualTo(0.004);
        assertThat(t.rootDelayNanos()).isEqualTo(6_122);
        assertThat(t.leap()).isEqualTo(Leap.NONE);
        assertThat(t.synchronised()).isTrue();
    }

    @Test
    void unsynchronisedTracking() throws Exception {
        ChronyTracking t = ChronyTracking.parse(recorded("tracking-unsynchronised.csv"));
        assertThat(t.referenceName()).isEmpty();
        assertThat(t.stratum()).isZero();
        assertThat(t.leap()).isEqualTo(Leap.UNSYNCHRONIZED);
        assertThat(t.synchronised()).isFalse();
        assertThat(t.rootDispersionNanos()).isEqualTo(1_000_000_000L);
    }

    @Test
    void mixedSources() throws Exception {
        List<ChronySource> s = ChronySource.parseAll(recorded("sources-mixed.csv"));
        assertThat(s).extracting(ChronySource::address)
                .containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.9", "::1");
        assertThat(s).extracting(ChronySource::state).containsExactly(State.SELECTED, State.COMBINED, State.COMBINED,
                State.FALSETICKER, State.UNREACHABLE, State.UNREACHABLE);
        ChronySource selected = s.get(0);
        assertThat(selected.mode()).isEqualTo(ChronySource.Mode.SERVER);
        assertThat(selected.stratum()).isEqualTo(2);
        assertThat(selected.pollLog2()).isEqualTo(-4);
        assertThat(selected.reach()).isEqualTo(0xFF);
        assertThat(selected.lastRxSeconds()).isZero();
        // chronyc prints local − source (+1.491 us); TimeSync's sign is source − local.
        assertThat(selected.offsetNanos()).isEqualTo(-1_491);
        assertThat(selected.errorNanos()).isEqualTo(5_654);
        // The server an hour ahead: chronyc prints -3600.
        assertThat(s.get(3).offsetNanos()).isEqualTo(3_600_000_000_000L);
        assertThat(s.get(4).lastRxSeconds()).isEqualTo(-1);
        assertThat(s.get(4).reach()).isZero();
    }

    @Test
    void oneSelectedSource() throws Exception {
        assertThat(ChronySource.parseAll(recorded("sources-one-selected.csv"))).singleElement()
                .satisfies(src -> assertThat(src.state()).isEqualTo(State.SELECTED));
        assertThat(ChronySource.parseAll("\n")).isEmpty();
    }

    @Test
    void malformedOutputNamesTheProblem() {
        assertThatIllegalArgumentException().isThrownBy(() -> ChronyTracking.parse("506 Cannot talk to daemon"))
                .withMessageContaining("expected 14 comma-separated fields");
        assertThatIllegalArgumentException().isThrownBy(() -> ChronyTracking.parse(
                "ZZ,,0,0,0,0,0,0,0,0,1,1,0,Normal")).withMessageContaining("reference id 'ZZ' is not hexadecimal");
        assertThatIllegalArgumentException().isThrownBy(() -> ChronyTracking.parse(
                "00,,0,0,0,0,0,0,0,0,1,1,0,Sideways")).withMessageContaining("unknown leap status 'Sideways'");
        assertThatIllegalArgumentException().isThrownBy(() -> ChronySource.parseAll("^,!,1.2.3.4,2,6,377,1,0,0,0"))
                .withMessageContaining("unknown state '!'");
        assertThatIllegalArgumentException().isThrownBy(() -> ChronySource.parseAll("^,*,1.2.3.4,2,6,999,1,0,0,0"))
                .withMessageContaining("reach '999' is not octal");
    }
}
