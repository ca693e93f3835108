package io.timesync.ntp;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Seeded corrupted, truncated, replayed and random packets through the real decoder: none may throw,
 * and each must be rejected for the right reason. The seed is in every assertion message, so a
 * failure can be replayed.
 */
class AdversarialPacketTest {

    private static final long SEED = Long.getLong("timesync.test.seed", 0x5EED_2026L);

    @Test
    void randomBytesNeverThrowAndAlmostNeverPass() {
        SplittableRandom random = new SplittableRandom(SEED);
        Map<ReplyStatus, Integer> counts = new EnumMap<>(ReplyStatus.class);
        byte[] buffer = new byte[300];
        for (int i = 0; i < 100_000; i++) {
            int length = random.nextInt(buffer.length + 1);
            random.nextBytes(buffer);
            ReplyStatus[] status = new ReplyStatus[1];
            assertThatCode(() -> status[0] = NtpReply.check(buffer, 0, length, Replies.ORIGIN))
                    .as("seed %d, iteration %d", SEED, i).doesNotThrowAnyException();
            counts.merge(status[0], 1, Integer::sum);
        }
        // A random origin matches a 64-bit nonce with probability 2^-64.
        assertThat(counts.getOrDefault(ReplyStatus.OK, 0)).as("seed %d: %s", SEED, counts).isZero();
        assertThat(counts.get(ReplyStatus.TOO_SHORT)).as("seed %d: %s", SEED, counts).isPositive();
        assertThat(counts.get(ReplyStatus.MALFORMED_EXTENSION)).as("seed %d: %s", SEED, counts).isPositive();
    }

    @Test
    void everyTruncationOfAValidReplyIsTooShort() {
        byte[] reply = Replies.valid().array();
        for (int length = 0; length < 48; length++) {
            assertThat(NtpReply.check(reply, 0, length, Replies.ORIGIN)).isEqualTo(ReplyStatus.TOO_SHORT);
        }
    }

    @Test
    void corruptedOriginIsAlwaysCaught() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 10_000; i++) {
            byte[] reply = Replies.valid().array();
            int bit = random.nextInt(64);
            reply[24 + bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(NtpReply.check(reply, 0, 48, Replies.ORIGIN)).as("seed %d, bit %d", SEED, bit)
                    .isEqualTo(ReplyStatus.ORIGIN_MISMATCH);
        }
    }

    @Test
    void replayedReplyToAnEarlierRequestIsRejected() {
        byte[] reply = Replies.valid().array();
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 1_000; i++) {
            long nextRequest = NtpPacket.requestTimestamp(NtpTimestamp.fromUnixNanos(1_795_320_938_000_000_000L + i), random.nextInt());
            if (nextRequest != Replies.ORIGIN) {
                assertThat(NtpReply.check(reply, 0, 48, nextRequest)).isEqualTo(ReplyStatus.ORIGIN_MISMATCH);
            }
        }
    }

    @Test
    void singleBitFlipsGiveOnlyExpectedOutcomes() {
        SplittableRandom random = new SplittableRandom(SEED);
        Map<ReplyStatus, Integer> counts = new EnumMap<>(ReplyStatus.class);
        for (int i = 0; i < 20_000; i++) {
            byte[] reply = Replies.valid().array();
            int bit = random.nextInt(48 * 8);
            reply[bit / 8] ^= (byte) (1 << (7 - bit % 8));
            ReplyStatus status = NtpReply.check(reply, 0, 48, Replies.ORIGIN);
            counts.merge(status, 1, Integer::sum);
            int index = bit / 8;
            if (index >= 24 && index < 32) {
                assertThat(status).as("seed %d, bit %d", SEED, bit).isEqualTo(ReplyStatus.ORIGIN_MISMATCH);
            } else if (index == 0 && bit < 2) {
                // Leap bits: 01, 10 stay usable; stratum 2 with LI 3 is unsynchronised only if both set.
                assertThat(status).as("seed %d, bit %d", SEED, bit).isEqualTo(ReplyStatus.OK);
            } else if (index == 0 && bit < 5) {
                assertThat(status).as("seed %d, bit %d", SEED, bit).isIn(ReplyStatus.OK, ReplyStatus.UNSUPPORTED_VERSION);
            } else if (index == 0) {
                assertThat(status).as("seed %d, bit %d", SEED, bit).isEqualTo(ReplyStatus.WRONG_MODE);
            } else if (index == 1) {
                assertThat(status).as("seed %d, bit %d", SEED, bit).isIn(ReplyStatus.OK, ReplyStatus.STRATUM_TOO_HIGH, ReplyStatus.KISS_OF_DEATH);
            } else if (index >= 32) {
                // Timestamps: flipping a bit may reorder T2 and T3 or zero nothing; both are handled.
                assertThat(status).as("seed %d, bit %d", SEED, bit).isIn(ReplyStatus.OK, ReplyStatus.TRANSMIT_BEFORE_RECEIVE);
            } else {
                assertThat(status).as("seed %d, bit %d", SEED, bit).isEqualTo(ReplyStatus.OK);
            }
        }
        assertThat(counts).as("seed %d", SEED).containsKeys(ReplyStatus.ORIGIN_MISMATCH, ReplyStatus.WRONG_MODE,
                ReplyStatus.TRANSMIT_BEFORE_RECEIVE, ReplyStatus.OK);
    }
}
