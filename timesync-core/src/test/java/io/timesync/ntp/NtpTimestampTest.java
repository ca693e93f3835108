package io.timesync.ntp;

import org.apache.commons.net.ntp.TimeStamp;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class NtpTimestampTest {

    private static final long NANOS = 1_000_000_000L;
    // 2036-02-07T06:28:16Z: the first instant of NTP era 1.
    private static final long ERA_1_UNIX_SECONDS = (1L << 32) - NtpTimestamp.UNIX_EPOCH_NTP_SECONDS;

    @Test
    void unixEpochIsTheKnownNtpSecond() {
        assertThat(NtpTimestamp.fromUnixNanos(0)).isEqualTo(NtpTimestamp.UNIX_EPOCH_NTP_SECONDS << 32);
        assertThat(Instant.ofEpochSecond(ERA_1_UNIX_SECONDS)).isEqualTo(Instant.parse("2036-02-07T06:28:16Z"));
    }

    @Test
    void eraOneStartsAtZeroSeconds() {
        assertThat(NtpTimestamp.fromUnixNanos(ERA_1_UNIX_SECONDS * NANOS)).isZero();
        assertThat(NtpTimestamp.fromUnixNanos(ERA_1_UNIX_SECONDS * NANOS - 1)).isEqualTo(0xFFFF_FFFF_FFFF_FFFCL);
    }

    @Test
    void roundTripIsExactToTheNanosecondOnBothSidesOf2036() {
        SplittableRandom random = new SplittableRandom(20361);
        long[] centres = {0, Instant.parse("2026-11-22T00:00:00Z").getEpochSecond() * NANOS, ERA_1_UNIX_SECONDS * NANOS,
            Instant.parse("2090-01-01T00:00:00Z").getEpochSecond() * NANOS};
        for (long centre : centres) {
            for (int i = 0; i < 20_000; i++) {
                long unixNanos = centre + random.nextLong(-3 * NANOS, 3 * NANOS);
                long ts = NtpTimestamp.fromUnixNanos(unixNanos);
                long pivot = unixNanos + random.nextLong(-30L * 86_400 * 365 * NANOS, 30L * 86_400 * 365 * NANOS);
                assertThat(NtpTimestamp.toUnixNanos(ts, pivot)).as("nanos %d pivot %d", unixNanos, pivot).isEqualTo(unixNanos);
            }
        }
    }

    @Test
    void everyNanosecondOfASecondRoundTrips() {
        long base = Instant.parse("2036-02-07T06:28:15Z").getEpochSecond() * NANOS;
        for (long n = 0; n < NANOS; n += 997) {
            long ts = NtpTimestamp.fromUnixNanos(base + n);
            assertThat(NtpTimestamp.toUnixNanos(ts, base)).isEqualTo(base + n);
        }
        long last = base + NANOS - 1;
        assertThat(NtpTimestamp.toUnixNanos(NtpTimestamp.fromUnixNanos(last), base)).isEqualTo(last);
    }

    @Test
    void pivotPicksTheEraAcross2036() {
        long beforeWrap = (ERA_1_UNIX_SECONDS - 10) * NANOS;
        long afterWrap = (ERA_1_UNIX_SECONDS + 10) * NANOS;
        // A timestamp just after the wrap, read with a pivot just before it, lands in era 1.
        long ts = NtpTimestamp.fromUnixNanos(afterWrap);
        assertThat(NtpTimestamp.seconds(ts)).isEqualTo(10);
        assertThat(NtpTimestamp.toUnixNanos(ts, beforeWrap)).isEqualTo(afterWrap);
        assertThat(NtpTimestamp.toUnixNanos(NtpTimestamp.fromUnixNanos(beforeWrap), afterWrap)).isEqualTo(beforeWrap);
    }

    @Test
    void differenceIsSignedAndWrapsAcrossTheEra() {
        long before = NtpTimestamp.fromUnixNanos((ERA_1_UNIX_SECONDS - 1) * NANOS);
        long after = NtpTimestamp.fromUnixNanos((ERA_1_UNIX_SECONDS + 2) * NANOS + 500_000_000L);
        assertThat(NtpTimestamp.intervalToNanos(NtpTimestamp.difference(after, before))).isEqualTo(3_500_000_000L);
        assertThat(NtpTimestamp.intervalToNanos(NtpTimestamp.difference(before, after))).isEqualTo(-3_500_000_000L);
    }

    @Test
    void intervalsConvertWithRounding() {
        assertThat(NtpTimestamp.intervalToNanos(1L << 32)).isEqualTo(NANOS);
        assertThat(NtpTimestamp.intervalToNanos(1L << 31)).isEqualTo(500_000_000L);
        assertThat(NtpTimestamp.intervalToNanos(-(1L << 31))).isEqualTo(-500_000_000L);
        assertThat(NtpTimestamp.intervalToNanos(1)).isZero();
        assertThat(NtpTimestamp.intervalToNanos(5)).isEqualTo(1);
        assertThat(NtpTimestamp.intervalToNanos(-5)).isEqualTo(-1);
        assertThat(NtpTimestamp.intervalToNanos(Long.MIN_VALUE)).isEqualTo(-(1L << 31) * NANOS);
    }

    @Test
    void shortFormatIsUnsigned16Dot16() {
        assertThat(NtpTimestamp.shortToNanos(0x0001_0000)).isEqualTo(NANOS);
        assertThat(NtpTimestamp.shortToNanos(0x0000_8000)).isEqualTo(500_000_000L);
        assertThat(NtpTimestamp.shortToNanos(0x0000_0001)).isEqualTo(15_259L);
        assertThat(NtpTimestamp.shortToNanos(0xFFFF_FFFF)).isEqualTo(65_535_999_984_741L);
    }

    @Test
    void agreesWithCommonsNetOnMilliseconds() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            // commons-net maps timestamps to 1968-2104; use instants well inside that window.
            long unixMillis = random.nextLong(Instant.parse("1970-01-01T00:00:00Z").toEpochMilli(),
                    Instant.parse("2100-01-01T00:00:00Z").toEpochMilli());
            long ts = TimeStamp.getNtpTime(unixMillis).ntpValue();
            long ours = NtpTimestamp.toUnixNanos(ts, unixMillis * 1_000_000L);
            assertThat(Math.floorDiv(ours + 500_000, 1_000_000)).as("millis %d", unixMillis).isEqualTo(unixMillis);
            assertThat(new TimeStamp(ts).getTime()).isEqualTo(unixMillis);
        }
    }
}
