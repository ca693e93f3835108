package io.timesync.bench;

import io.timesync.ntp.NtpPacket;
import io.timesync.ntp.NtpTimestamp;

import java.net.DatagramPacket;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Prebuilt, varied server replies with their local T1 and T4, so that benchmarks measure decoding
 * and arithmetic, not packet construction. Offsets range over ±100 ms, delays over 0.1-50 ms,
 * strata 1-4, around November 2026; every reply is valid.
 */
public final class ReplyCorpus {

    /** Replies in the corpus: a power of two, so benchmarks cycle with {@code & MASK}. */
    public static final int SIZE = 64;
    /** {@code SIZE - 1}. */
    public static final int MASK = SIZE - 1;

    /** Replies echoing a random-fraction transmit timestamp, as TimeSync sends. */
    public final byte[][] replies = new byte[SIZE][];
    /** The transmit timestamp each of our requests carried. */
    public final long[] requestTimestamps = new long[SIZE];
    /** The same replies with origin = T1, as a plain SNTP client (commons-net's) sends. */
    public final byte[][] sntpReplies = new byte[SIZE][];
    /** {@link #sntpReplies} wrapped as commons-net reads them. */
    public final DatagramPacket[] commonsNetDatagrams = new DatagramPacket[SIZE];
    /** T1 in Unix nanoseconds. */
    public final long[] t1UnixNanos = new long[SIZE];
    /** T1 as the raw 32.32 timestamp taken at send time. */
    public final long[] t1 = new long[SIZE];
    /** T4 − T1 in nanoseconds, as the monotonic clock gives it. */
    public final long[] elapsed = new long[SIZE];
    /** T4 in Unix milliseconds, as commons-net's TimeInfo takes it. */
    public final long[] t4Millis = new long[SIZE];
    /** The true offset of each exchange. */
    public final long[] offsets = new long[SIZE];
    /** The true delay of each exchange. */
    public final long[] delays = new long[SIZE];

    /** Builds the corpus from a seed. */
    public ReplyCorpus(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long base = 1_795_300_000_000_000_000L;
        for (int i = 0; i < SIZE; i++) {
            t1UnixNanos[i] = base + random.nextLong(86_400_000_000_000L);
            t1[i] = NtpTimestamp.fromUnixNanos(t1UnixNanos[i]);
            offsets[i] = random.nextLong(-100_000_000L, 100_000_000L);
            delays[i] = random.nextLong(100_000L, 50_000_000L);
            long processing = random.nextLong(1_000L, 200_000L);
            long receive = t1UnixNanos[i] + delays[i] / 2 + offsets[i];
            long transmit = receive + processing;
            elapsed[i] = delays[i] + processing;
            t4Millis[i] = Math.floorDiv(t1UnixNanos[i] + elapsed[i], 1_000_000L);
            requestTimestamps[i] = NtpPacket.requestTimestamp(t1[i], random.nextInt());
            int stratum = 1 + random.nextInt(4);
            replies[i] = reply(stratum, random, requestTimestamps[i], receive, transmit);
            sntpReplies[i] = reply(stratum, random, t1[i], receive, transmit);
            commonsNetDatagrams[i] = new DatagramPacket(sntpReplies[i], sntpReplies[i].length);
        }
    }

    private static byte[] reply(int stratum, SplittableRandom random, long origin, long receiveNanos, long transmitNanos) {
        ByteBuffer b = ByteBuffer.allocate(NtpPacket.HEADER_LENGTH);
        b.put((byte) 0x24).put((byte) stratum).put((byte) 6).put((byte) -24);
        b.putInt(random.nextInt(0x0000_2000)).putInt(random.nextInt(0x0000_2000)).putInt(0xC000_0201);
        b.putLong(NtpTimestamp.fromUnixNanos(receiveNanos - 30_000_000_000L));
        b.putLong(origin);
        b.putLong(NtpTimestamp.fromUnixNanos(receiveNanos));
        b.putLong(NtpTimestamp.fromUnixNanos(transmitNanos));
        return b.array();
    }
}
