package io.timesync.bench;

import io.timesync.ntp.NtpReply;
import io.timesync.ntp.OnWire;
import io.timesync.ntp.ReplyStatus;
import io.timesync.nts.NtsExtensionFields;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The authenticated decode-and-verify path beside the plain one, in the same run:
 * <ul>
 *   <li>{@code plain}: decode a 48-byte reply, validate it, compute offset and delay (as {@link HotPathBenchmark#timesync});</li>
 *   <li>{@code nts}: decode a 228-byte NTS reply, check its unique identifier, verify its AES-SIV-CMAC-256
 *       authenticator, take its cookie, validate the header, compute offset and delay.</li>
 * </ul>
 * Run with {@code -prof gc}: the plain path allocates nothing; the NTS path's allocation is the
 * AEAD's (associated data, nonce and ciphertext copies, the AES-SIV library's buffers).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class NtsBenchmark {

    private NtsReplyCorpus corpus;
    private int index;
    private int cookies;
    private final Consumer<byte[]> jar = cookie -> cookies += cookie.length;

    /** Builds the replies once per trial. */
    @Setup
    public void setUp() {
        corpus = new NtsReplyCorpus(2026);
    }

    /** The plain path: decode, validate, offset and delay. */
    @Benchmark
    public long plain() {
        int i = index++ & ReplyCorpus.MASK;
        ReplyCorpus c = corpus.plain;
        byte[] reply = c.replies[i];
        ReplyStatus status = NtpReply.check(reply, 0, reply.length, c.requestTimestamps[i]);
        return status == ReplyStatus.OK ? result(reply, c, i) : -1 - status.ordinal();
    }

    /** The NTS path: decode, identifier, authenticator, cookie, validate, offset and delay. */
    @Benchmark
    public long nts() {
        int i = index++ & ReplyCorpus.MASK;
        byte[] reply = corpus.replies[i];
        ReplyStatus status = NtpReply.checkFormat(reply, 0, reply.length);
        if (status == ReplyStatus.OK) {
            status = NtsExtensionFields.checkReply(reply, reply.length, corpus.uniqueIdentifiers[i], corpus.s2c,
                    jar, corpus.plain.requestTimestamps[i]);
        }
        return status == ReplyStatus.OK ? result(reply, corpus.plain, i) + cookies : -1 - status.ordinal();
    }

    private static long result(byte[] reply, ReplyCorpus c, int i) {
        long t2 = NtpReply.receiveTimestamp(reply, 0);
        long t3 = NtpReply.transmitTimestamp(reply, 0);
        return OnWire.offsetNanos(c.t1[i], t2, t3, c.elapsed[i]) + 31 * OnWire.delayNanos(t2, t3, c.elapsed[i]);
    }
}
