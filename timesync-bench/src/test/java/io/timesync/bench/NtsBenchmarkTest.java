package io.timesync.bench;

import io.timesync.ntp.NtpReply;
import io.timesync.ntp.ReplyStatus;
import io.timesync.nts.NtsExtensionFields;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The NTS benchmark compares like with like: every NTS reply verifies and gives the plain path's offset and delay. */
class NtsBenchmarkTest {

    @Test
    void everyNtsReplyVerifiesAndMeasuresAsThePlainOne() {
        NtsBenchmark plain = new NtsBenchmark();
        NtsBenchmark nts = new NtsBenchmark();
        plain.setUp();
        nts.setUp();
        long cookieBytes = 0;
        for (int i = 0; i < 2 * ReplyCorpus.SIZE; i++) {
            long expected = plain.plain();
            cookieBytes += 100;
            // nts() adds the running total of cookie bytes taken: one 100-byte cookie per reply.
            assertThat(nts.nts()).isEqualTo(expected + cookieBytes);
        }
    }

    @Test
    void theCorpusIsRealisticAndATamperedReplyFails() {
        NtsReplyCorpus corpus = new NtsReplyCorpus(2026);
        byte[] reply = corpus.replies[0].clone();
        assertThat(reply).hasSize(48 + 36 + 8 + 16 + 16 + 104);
        reply[47] ^= 1;
        assertThat(NtpReply.checkFormat(reply, 0, reply.length)).isEqualTo(ReplyStatus.OK);
        assertThat(NtsExtensionFields.checkReply(reply, reply.length, corpus.uniqueIdentifiers[0], corpus.s2c,
                cookie -> { }, corpus.plain.requestTimestamps[0])).isEqualTo(ReplyStatus.NTS_AUTHENTICATION_FAILED);
    }
}
