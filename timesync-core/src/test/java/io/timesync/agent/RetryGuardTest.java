package io.timesync.agent;

import io.timesync.time.Mode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryGuardTest {

    static final long T0 = 1_800_000_000_000_000_000L;
    static final long SECOND = 1_000_000_000L;

    RetryGuard guard = new RetryGuard(Mode.FAST, Duration.ofSeconds(64));

    @Test
    void nothingIsHeldBackBeforeAFailure() {
        assertThat(guard.holdBack(T0, 20_000_000)).isNull();
    }

    @Test
    void aFailedCorrectionIsHeldBackForAboutTheSameSkewUntilTheWaitIsOver() {
        guard.failed(T0, 20_000_000);

        assertThat(guard.holdBack(T0 + SECOND, 20_500_000)).startsWith("not tried again: the same correction failed at ")
                .endsWith("; next try from 2027-01-15T08:01:04Z");
        assertThat(guard.holdBack(T0 + 63 * SECOND, 20_000_000)).isNotNull();
        assertThat(guard.holdBack(T0 + 64 * SECOND, 20_000_000)).isNull();
    }

    @Test
    void anotherSkewIsTriedAtOnce() {
        guard.failed(T0, 20_000_000);

        assertThat(guard.holdBack(T0 + SECOND, 40_000_000)).isNull();
        assertThat(guard.holdBack(T0 + SECOND, -20_000_000)).isNull();
    }

    @Test
    void aCorrectionAppliedEndsTheWait() {
        guard.failed(T0, 20_000_000);
        guard.succeeded();

        assertThat(guard.holdBack(T0 + SECOND, 20_000_000)).isNull();
    }
}
