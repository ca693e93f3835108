package io.timesync.bench;

import io.timesync.ntp.NtpReply;
import io.timesync.ntp.OnWire;
import io.timesync.ntp.ReplyStatus;
import org.apache.commons.net.ntp.NtpV3Impl;
import org.apache.commons.net.ntp.TimeInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The benchmarks compare like with like: on the corpus, all three compute the true offset and delay. */
class HotPathBenchmarkTest {

    private final ReplyCorpus corpus = new ReplyCorpus(2026);

    @Test
    void ourCodecAcceptsEveryReplyAndIsExactToTheNanosecond() {
        for (int i = 0; i < ReplyCorpus.SIZE; i++) {
            byte[] reply = corpus.replies[i];
            assertThat(NtpReply.check(reply, 0, reply.length, corpus.requestTimestamps[i])).isEqualTo(ReplyStatus.OK);
            long t2 = NtpReply.receiveTimestamp(reply, 0);
            long t3 = NtpReply.transmitTimestamp(reply, 0);
            assertThat(OnWire.offsetNanos(corpus.t1[i], t2, t3, corpus.elapsed[i])).isCloseTo(corpus.offsets[i], within(1L));
            assertThat(OnWire.delayNanos(t2, t3, corpus.elapsed[i])).isCloseTo(corpus.delays[i], within(1L));
        }
    }

    @Test
    void commonsNetAgreesToTheMillisecond() {
        for (int i = 0; i < ReplyCorpus.SIZE; i++) {
            NtpV3Impl message = new NtpV3Impl();
            message.setDatagramPacket(corpus.commonsNetDatagrams[i]);
            TimeInfo info = new TimeInfo(message, corpus.t4Millis[i], false);
            info.computeDetails();
            assertThat(info.getOffset()).isCloseTo(corpus.offsets[i] / 1_000_000, within(2L));
            assertThat(info.getDelay()).isCloseTo(corpus.delays[i] / 1_000_000, within(2L));
        }
    }

    @Test
    void benchmarkMethodsReturnTheSameCombinedValueForOurCodecAndTheFloors() {
        HotPathBenchmark ours = new HotPathBenchmark();
        HotPathBenchmark floor = new HotPathBenchmark();
        HotPathBenchmark originChecked = new HotPathBenchmark();
        ours.setUp();
        floor.setUp();
        originChecked.setUp();
        for (int i = 0; i < 2 * ReplyCorpus.SIZE; i++) {
            long expected = floor.floor();
            assertThat(ours.timesync()).isEqualTo(expected);
            assertThat(originChecked.originCheckedFloor()).isEqualTo(expected);
        }
    }
}
