package io.timesync.bench;

import io.timesync.time.TimeSource;
import io.timesync.ntp.NtpReply;
import io.timesync.ntp.OnWire;
import io.timesync.ntp.ReplyStatus;
import org.apache.commons.net.ntp.NtpV3Impl;
import org.apache.commons.net.ntp.TimeInfo;
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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The parse-and-measure hot path, with its baselines in the same run:
 * <ul>
 *   <li>{@code timesync}: decode a 48-byte reply, validate it against the request, compute offset and delay;</li>
 *   <li>{@code commonsNet}: the same with Apache commons-net ({@code NtpV3Impl} + {@code TimeInfo.computeDetails()});</li>
 *   <li>{@code floor}: read the timestamps and compute offset and delay, nothing else;</li>
 *   <li>{@code originCheckedFloor}: the floor plus the origin check, the least a client with a nonce does;</li>
 *   <li>{@code clockReads}: the two clock reads a measurement needs (wall clock and monotonic).</li>
 * </ul>
 * Each returns one value combining offset and delay so that nothing is optimised away. Run with
 * {@code -prof gc} to see bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HotPathBenchmark {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private ReplyCorpus corpus;
    private TimeSource clock;
    private int index;

    /** Builds the replies once per trial. */
    @Setup
    public void setUp() {
        corpus = new ReplyCorpus(2026);
        clock = TimeSource.system();
    }

    /**
     * TimeSync's codec: every check of a reply to our request (length, version, mode, origin, zero
     * timestamps, leap, stratum and kiss, T3 before T2), then offset and delay. The length is the
     * array's, a value the compiler cannot fold, as a socket's datagram length is.
     */
    @Benchmark
    public long timesync() {
        int i = index++ & ReplyCorpus.MASK;
        byte[] reply = corpus.replies[i];
        ReplyStatus status = NtpReply.check(reply, 0, reply.length, corpus.requestTimestamps[i]);
        if (status != ReplyStatus.OK) {
            return -1 - status.ordinal();
        }
        long t2 = NtpReply.receiveTimestamp(reply, 0);
        long t3 = NtpReply.transmitTimestamp(reply, 0);
        long elapsed = corpus.elapsed[i];
        return OnWire.offsetNanos(corpus.t1[i], t2, t3, elapsed) + 31 * OnWire.delayNanos(t2, t3, elapsed);
    }

    /** commons-net, used as its NTPUDPClient does: a new packet object per reply, then TimeInfo. */
    @Benchmark
    public long commonsNet() {
        int i = index++ & ReplyCorpus.MASK;
        NtpV3Impl message = new NtpV3Impl();
        message.setDatagramPacket(corpus.commonsNetDatagrams[i]);
        TimeInfo info = new TimeInfo(message, corpus.t4Millis[i], false);
        info.computeDetails();
        return info.getOffset() + 31 * info.getDelay();
    }

    /**
     * The floor: a minimal SNTP decoder. It reads the timestamps the arithmetic needs (origin as T1,
     * as a client without its own record of T1 does; receive; transmit), computes offset and delay,
     * and checks nothing. The reference timestamp is not read: nothing uses it, so the compiler
     * would drop the load anyway.
     */
    @Benchmark
    public long floor() {
        int i = index++ & ReplyCorpus.MASK;
        byte[] b = corpus.sntpReplies[i];
        long t1 = (long) LONG.get(b, 24);
        long t2 = (long) LONG.get(b, 32);
        long t3 = (long) LONG.get(b, 40);
        long elapsed = corpus.elapsed[i];
        return OnWire.offsetNanos(t1, t2, t3, elapsed) + 31 * OnWire.delayNanos(t2, t3, elapsed);
    }

    /**
     * The floor plus the one check no client may skip: T1 from the client's own record instead of the
     * echo, and the echo compared with the nonce the request carried. No decoder that checks the origin
     * can be cheaper than this; the gap between it and {@link #timesync} is the cost of the other checks.
     */
    @Benchmark
    public long originCheckedFloor() {
        int i = index++ & ReplyCorpus.MASK;
        byte[] b = corpus.replies[i];
        if ((long) LONG.get(b, 24) != corpus.requestTimestamps[i]) {
            return -1;
        }
        long t2 = (long) LONG.get(b, 32);
        long t3 = (long) LONG.get(b, 40);
        long elapsed = corpus.elapsed[i];
        return OnWire.offsetNanos(corpus.t1[i], t2, t3, elapsed) + 31 * OnWire.delayNanos(t2, t3, elapsed);
    }

    /** What reading the clocks for T1 costs: the wall clock and the monotonic clock. */
    @Benchmark
    public long clockReads() {
        return clock.wallClockNanos() + clock.monotonicNanos();
    }

}
