package io.timesync.agent;

import io.timesync.ntp.Leap;
import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.Sample;
import io.timesync.time.SampleFailure;
import io.timesync.time.ServerAddress;
import io.timesync.probe.ClockFilter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PollWindowsTest {

    private static final long SECOND = 1_000_000_000L;
    private static final ServerAddress SERVER = ServerAddress.parse("time.example", 123);

    /** One poll of {@code address} at {@code t4}: one sample, or none (a timeout) when {@code delay} is negative. */
    private static Measurement poll(String address, long offset, long delay, long t4) {
        if (delay < 0) {
            return new Measurement(SERVER, address, 123, 1, 0, List.of(),
                    List.of(SampleFailure.timeout("no reply within 1 s")), null, "no reply");
        }
        Sample s = new Sample(t4 - delay, 0, 0, t4, offset, delay, 2, Leap.NONE, -20, 6, 0, 0, 0);
        return new Measurement(SERVER, address, 123, 1, 1, List.of(s), List.of(),
                ClockFilter.estimate(List.of(s)), null);
    }

    @Test
    void eachPollAddsOneSampleAndTheDecisionUsesTheBestOfTheLastEight() {
        PollWindows windows = new PollWindows();
        Measurement m = null;
        // The quickest exchange is the third poll; ten polls later it has left the window.
        for (int i = 0; i < 12; i++) {
            long delay = i == 2 ? 50_000 : 400_000 + i;
            m = windows.filtered(poll("192.0.2.1", i == 2 ? 7 : 1_000 + i, delay, i * SECOND), i * SECOND);
            if (i == 2) {
                assertThat(m.estimate().sampleCount()).isEqualTo(3);
                assertThat(m.estimate().best().offsetNanos()).isEqualTo(7);
            }
            if (i == 6) {
                assertThat(m.estimate().best().offsetNanos()).isEqualTo(7);
                assertThat(m.estimate().bestAgeNanos()).isEqualTo(4 * SECOND);
            }
        }
        assertThat(m.samples()).hasSize(ClockFilter.SIZE);
        assertThat(m.estimate().sampleCount()).isEqualTo(ClockFilter.SIZE);
        assertThat(m.estimate().offsetNanos()).isNotEqualTo(7);
        assertThat(m.sent()).isEqualTo(ClockFilter.SIZE);
        assertThat(m.reach()).isEqualTo(0xFF);
    }

    @Test
    void aLostPollLeavesTheWindowAgedUntilEightPollsInARowGoUnanswered() {
        PollWindows windows = new PollWindows();
        windows.filtered(poll("192.0.2.1", 30, 100_000, 0), 0);
        for (int i = 1; i < 8; i++) {
            Measurement lost = windows.filtered(poll("192.0.2.1", 0, -1, 0), i * SECOND);
            assertThat(lost.answered()).isTrue();
            assertThat(lost.estimate().offsetNanos()).isEqualTo(30);
            assertThat(lost.estimate().bestAgeNanos()).isEqualTo(i * SECOND);
            assertThat(lost.reach()).isEqualTo(1 << i);
            assertThat(lost.failures()).hasSize(1);
        }
        Measurement unreachable = windows.filtered(poll("192.0.2.1", 0, -1, 0), 8 * SECOND);
        assertThat(unreachable.answered()).isFalse();
        assertThat(windows.size("192.0.2.1:123")).isZero();
    }

    @Test
    void aCorrectionAnotherAddressOrAServerNoLongerPolledStartsAfresh() {
        PollWindows windows = new PollWindows();
        windows.filtered(poll("192.0.2.1", 30, 100_000, 0), 0);
        windows.filtered(poll("192.0.2.1", 30, 100_000, SECOND), SECOND);
        assertThat(windows.size("192.0.2.1:123")).isEqualTo(2);
        // The name now resolves to another address: a window of its own.
        assertThat(windows.filtered(poll("192.0.2.9", 30, 100_000, 2 * SECOND), 2 * SECOND).samples()).hasSize(1);
        windows.keepOnly(List.of("192.0.2.9:123"));
        assertThat(windows.size("192.0.2.1:123")).isZero();
        windows.clear();
        assertThat(windows.filtered(poll("192.0.2.9", 30, 100_000, 3 * SECOND), 3 * SECOND).samples()).hasSize(1);
    }

    @Test
    void anUnresolvedNameIsPassedThrough() {
        Measurement unresolved = new Measurement(SERVER, null, 123, 0, 0, List.of(), List.of(), null, "DNS lookup failed");
        assertThat(new PollWindows().filtered(unresolved, 0)).isSameAs(unresolved);
    }

    @Test
    void pollsFilterAcrossWhenARunOfSamplesWouldTakeAsLongAsThePollInterval() {
        ProbeOptions defaults = ProbeOptions.defaults();
        assertThat(PollWindows.suit(Duration.ofSeconds(1), defaults)).isTrue();
        assertThat(PollWindows.suit(Duration.ofSeconds(8), defaults)).isTrue();
        assertThat(PollWindows.suit(Duration.ofSeconds(60), defaults)).isFalse();
        assertThat(PollWindows.suit(Duration.ofSeconds(64), defaults)).isFalse();
        assertThat(PollWindows.suit(Duration.ofSeconds(1), defaults.withSamples(2).withSpacing(Duration.ofMillis(20)))).isFalse();
    }
}
