package io.timesync.ntp;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class OnWireTest {

    private static final long NANOS = 1_000_000_000L;

    private static long offset(long t1UnixNanos, long t2, long t3, long t4UnixNanos) {
        return OnWire.offsetNanos(NtpTimestamp.fromUnixNanos(t1UnixNanos), t2, t3, t4UnixNanos - t1UnixNanos);
    }

    private static long delay(long t1UnixNanos, long t2, long t3, long t4UnixNanos) {
        return OnWire.delayNanos(t2, t3, t4UnixNanos - t1UnixNanos);
    }

    private static long unix(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * NANOS + i.getNano();
    }

    @Test
    void serverAheadGivesPositiveOffset() {
        long t1 = unix("2026-11-22T10:00:00Z");
        // One-way 10 ms each way, server 250 ms ahead, 1 ms processing.
        long t2 = NtpTimestamp.fromUnixNanos(t1 + 10_000_000 + 250_000_000);
        long t3 = NtpTimestamp.fromUnixNanos(t1 + 11_000_000 + 250_000_000);
        long t4 = t1 + 21_000_000;
        assertThat(offset(t1, t2, t3, t4)).isEqualTo(250_000_000);
        assertThat(delay(t1, t2, t3, t4)).isEqualTo(20_000_000);
    }

    @Test
    void serverBehindGivesNegativeOffsetToTheNanosecond() {
        long t1 = unix("2026-11-22T10:00:00.123456789Z");
        long t2 = NtpTimestamp.fromUnixNanos(t1 + 50_001 - 1_234_567);
        long t3 = NtpTimestamp.fromUnixNanos(t1 + 60_001 - 1_234_567);
        long t4 = t1 + 110_002;
        assertThat(offset(t1, t2, t3, t4)).isEqualTo(-1_234_567);
        assertThat(delay(t1, t2, t3, t4)).isEqualTo(100_002);
    }

    @Test
    void exchangeAcrossTheEraChangeIsComputedCorrectly() {
        // T1 in era 0, T2..T4 in era 1: the server's clock wrapped during the exchange.
        long eraOne = ((1L << 32) - NtpTimestamp.UNIX_EPOCH_NTP_SECONDS) * NANOS;
        long t1 = eraOne - 3_000_000;
        long t2 = NtpTimestamp.fromUnixNanos(t1 + 5_000_000 + 777);
        long t3 = NtpTimestamp.fromUnixNanos(t1 + 5_100_000 + 777);
        long t4 = t1 + 10_100_000;
        assertThat(NtpTimestamp.seconds(t2)).isZero();
        assertThat(offset(t1, t2, t3, t4)).isEqualTo(777);
        assertThat(delay(t1, t2, t3, t4)).isEqualTo(10_000_000);
    }

    @Test
    void hugeOffsetsDoNotOverflow() {
        long t1 = unix("2026-11-22T10:00:00Z");
        long fiftyYears = 50L * 365 * 86_400 * NANOS;
        long t2 = NtpTimestamp.fromUnixNanos(t1 + fiftyYears);
        long t3 = t2;
        assertThat(offset(t1, t2, t3, t1)).isEqualTo(fiftyYears);
        assertThat(offset(t1, NtpTimestamp.fromUnixNanos(t1 - fiftyYears),
                NtpTimestamp.fromUnixNanos(t1 - fiftyYears), t1)).isEqualTo(-fiftyYears);
    }
}
