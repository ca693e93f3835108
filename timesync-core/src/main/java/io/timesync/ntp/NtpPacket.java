package io.timesync.ntp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The NTPv4 packet codec (RFC 5905 §7.3): encodes client requests and decodes replies into primitive
 * fields that this object owns, so one instance can decode any number of packets without allocating.
 *
 * <p>Decoding works on {@code (array, offset, length)}; the caller promises that {@code offset} and
 * {@code length} lie within the array. Bad input yields a {@link ReplyStatus}, never an exception.
 * After a decode that did not return {@link ReplyStatus#OK}, the fields are unspecified.
 *
 * <p>Not thread-safe: use one instance per thread.
 */
public final class NtpPacket {

    /** Length of the fixed header. */
    public static final int HEADER_LENGTH = 48;
    /** The version this client speaks. */
    public static final int VERSION = 4;
    /** Mode of a client request. */
    public static final int MODE_CLIENT = 3;
    /** Mode of a server reply. */
    public static final int MODE_SERVER = 4;
    /** The highest stratum that carries time (16 means unsynchronised). */
    public static final int MAX_STRATUM = 15;

    // LI 0, version 4, mode 4, stratum 1: the lowest header of the usual valid reply.
    private static final int USUAL_HEAD_MIN = (((VERSION << 3) | MODE_SERVER) << 8) | 1;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    // RFC 7822: an extension field is at least 16 bytes and a multiple of 4. A MAC is a 4-byte key id
    // plus a 16-byte (MD5) or 20-byte (SHA-1) digest, or the 4-byte crypto-NAK. The last extension
    // field must be at least 28 bytes when no MAC follows, which keeps 20 and 24 unambiguous.
    private static final int MIN_EXTENSION_LENGTH = 16;
    private static final int CRYPTO_NAK_LENGTH = 4;
    private static final int MAC_MD5_LENGTH = 20;
    private static final int MAC_SHA1_LENGTH = 24;

    // The header is kept as the six big-endian words it arrived in; the accessors take the small
    // fields apart on demand, so decoding is six loads and validation works on registers.
    private long word0;  // LI, VN, mode, stratum, poll, precision, root delay
    private long word1;  // root dispersion, reference id
    private long referenceTimestamp;
    private long originTimestamp;
    private long receiveTimestamp;
    private long transmitTimestamp;
    // Extension field count (bits 32-47), their total length (bits 8-31) and the MAC length (bits 0-7):
    // one store instead of three on the hot path.
    private long trailer;

    /**
     * Writes a client request into {@code buffer} at {@code offset} and returns its length (48).
     * Every field is zero except leap (0), version (4), mode (3) and the transmit timestamp: a client
     * discloses nothing else (RFC 9109 spirit, draft "NTP data minimization").
     *
     * @param transmitTimestamp the value the server must echo as origin; see {@link #requestTimestamp}
     */
    public static int encodeRequest(byte[] buffer, int offset, long transmitTimestamp) {
        for (int i = offset; i < offset + 40; i += 8) {
            LONG.set(buffer, i, 0L);
        }
        buffer[offset] = (byte) ((VERSION << 3) | MODE_CLIENT);
        LONG.set(buffer, offset + 40, transmitTimestamp);
        return HEADER_LENGTH;
    }

    /**
     * The transmit timestamp for a request sent at {@code t1} (raw 32.32): the real seconds with a
     * random 32-bit fraction. The server only echoes it, and the local send time is kept apart with full
     * precision, so the random bits cost no accuracy; they make the echo a 32-bit nonce that an
     * off-path attacker has to guess.
     */
    public static long requestTimestamp(long t1, int randomBits) {
        return (t1 & 0xFFFF_FFFF_0000_0000L) | (randomBits & 0xFFFF_FFFFL);
    }

    /**
     * Decodes the header and walks the extension fields and MAC after it (length checks only; their
     * content is not trusted here).
     *
     * @return {@link ReplyStatus#OK}, {@link ReplyStatus#TOO_SHORT} or {@link ReplyStatus#MALFORMED_EXTENSION}
     */
    public ReplyStatus decode(byte[] buffer, int offset, int length) {
        if (length < HEADER_LENGTH) {
            return ReplyStatus.TOO_SHORT;
        }
        word0 = (long) LONG.get(buffer, offset);
        word1 = (long) LONG.get(buffer, offset + 8);
        referenceTimestamp = (long) LONG.get(buffer, offset + 16);
        originTimestamp = (long) LONG.get(buffer, offset + 24);
        receiveTimestamp = (long) LONG.get(buffer, offset + 32);
        transmitTimestamp = (long) LONG.get(buffer, offset + 40);
        return length == HEADER_LENGTH ? noTrailer() : decodeTrailer(buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
    }

    private ReplyStatus noTrailer() {
        trailer = 0;
        return ReplyStatus.OK;
    }

    private ReplyStatus decodeTrailer(byte[] buffer, int position, int remaining) {
        int fields = 0;
        int fieldBytes = 0;
        while (remaining > MAC_SHA1_LENGTH || remaining == MIN_EXTENSION_LENGTH) {
            int fieldLength = ((buffer[position + 2] & 0xFF) << 8) | (buffer[position + 3] & 0xFF);
            if (fieldLength < MIN_EXTENSION_LENGTH || (fieldLength & 3) != 0 || fieldLength > remaining) {
                return ReplyStatus.MALFORMED_EXTENSION;
            }
            fields++;
            fieldBytes += fieldLength;
            position += fieldLength;
            remaining -= fieldLength;
        }
        if (remaining != 0 && remaining != CRYPTO_NAK_LENGTH && remaining != MAC_MD5_LENGTH
                && remaining != MAC_SHA1_LENGTH) {
            return ReplyStatus.MALFORMED_EXTENSION;
        }
        trailer = ((long) fields << 32) | ((long) fieldBytes << 8) | remaining;
        return ReplyStatus.OK;
    }

    /**
     * Checks a decoded packet as the reply to the request whose transmit timestamp was
     * {@code requestTimestamp}. The checks run in an order that keeps forged packets from being
     * believed: a kiss code is only reported once the origin matched.
     */
    public ReplyStatus validateReply(long requestTimestamp) {
        // Fast path: every check at once without branching; only a failure takes the ordered path
        // below, which tells which check failed.
        // head = LI (2 bits), version (3), mode (3), stratum (8). The usual reply (no leap second
        // pending, version 4, server mode, stratum 1-15) is one range, checked with one unsigned
        // compare; anything else, valid or not, takes the ordered path below.
        int head = (int) (word0 >>> 48);
        boolean ok = Integer.compareUnsigned(head - USUAL_HEAD_MIN, MAX_STRATUM) < 0
                & originTimestamp == requestTimestamp
                & receiveTimestamp != 0 & transmitTimestamp != 0
                & NtpTimestamp.difference(transmitTimestamp, receiveTimestamp) >= 0;
        return ok ? ReplyStatus.OK : diagnose(requestTimestamp);
    }

    private ReplyStatus diagnose(long requestTimestamp) {
        int version = version();
        if (version < 3 || version > VERSION) {
            return ReplyStatus.UNSUPPORTED_VERSION;
        }
        if (mode() != MODE_SERVER) {
            return ReplyStatus.WRONG_MODE;
        }
        if (originTimestamp != requestTimestamp) {
            return ReplyStatus.ORIGIN_MISMATCH;
        }
        if (transmitTimestamp == 0) {
            return ReplyStatus.ZERO_TRANSMIT;
        }
        int stratum = stratum();
        if (stratum == 0) {
            return ReplyStatus.KISS_OF_DEATH;
        }
        if (leap() == Leap.UNSYNCHRONIZED.code()) {
            return ReplyStatus.UNSYNCHRONIZED;
        }
        if (stratum > MAX_STRATUM) {
            return ReplyStatus.STRATUM_TOO_HIGH;
        }
        if (receiveTimestamp == 0) {
            return ReplyStatus.ZERO_RECEIVE;
        }
        if (NtpTimestamp.difference(transmitTimestamp, receiveTimestamp) < 0) {
            return ReplyStatus.TRANSMIT_BEFORE_RECEIVE;
        }
        return ReplyStatus.OK;
    }

    /**
     * Decodes and validates in one call: the result of {@link #decode} if it is not OK, else that of
     * {@link #validateReply}. The common case is checked on values still in registers.
     */
    public ReplyStatus decodeReply(byte[] buffer, int offset, int length, long requestTimestamp) {
        ReplyStatus status = decode(buffer, offset, length);
        if (status != ReplyStatus.OK) {
            return status;
        }
        return validateReply(requestTimestamp);
    }

    /** Leap indicator code (0-3); see {@link Leap#of(int)}. */
    public int leap() {
        return (int) (word0 >>> 62);
    }

    /** Version number (3 bits). */
    public int version() {
        return (int) (word0 >>> 59) & 0b111;
    }

    /** Association mode (3 bits). */
    public int mode() {
        return (int) (word0 >>> 56) & 0b111;
    }

    /** Stratum (0 = kiss, 1 = primary, 2-15 secondary, 16 unsynchronised). */
    public int stratum() {
        return (int) (word0 >>> 48) & 0xFF;
    }

    /** Poll exponent (signed log2 seconds). */
    public int poll() {
        return (byte) (word0 >>> 40);
    }

    /** Precision exponent (signed log2 seconds). */
    public int precision() {
        return (byte) (word0 >>> 32);
    }

    /** Root delay, raw 16.16 unsigned; see {@link NtpTimestamp#shortToNanos(int)}. */
    public int rootDelay() {
        return (int) word0;
    }

    /** Root dispersion, raw 16.16 unsigned; see {@link NtpTimestamp#shortToNanos(int)}. */
    public int rootDispersion() {
        return (int) (word1 >>> 32);
    }

    /** Reference id, raw; see {@link ReferenceId#format} and {@link KissCode#of(int)}. */
    public int referenceId() {
        return (int) word1;
    }

    /** When the server's clock was last set, raw 32.32. */
    public long referenceTimestamp() {
        return referenceTimestamp;
    }

    /** The echo of our request's transmit timestamp (raw 32.32). */
    public long originTimestamp() {
        return originTimestamp;
    }

    /** T2: when the server received the request (raw 32.32). */
    public long receiveTimestamp() {
        return receiveTimestamp;
    }

    /** T3: when the server sent the reply (raw 32.32). */
    public long transmitTimestamp() {
        return transmitTimestamp;
    }

    /** Number of extension fields after the header. */
    public int extensionFieldCount() {
        return (int) (trailer >>> 32);
    }

    /** Total bytes of extension fields after the header. */
    public int extensionLength() {
        return (int) (trailer >>> 8) & 0xFF_FFFF;
    }

    /** Length of the trailing MAC (0 when absent, 4 for a crypto-NAK). */
    public int macLength() {
        return (int) trailer & 0xFF;
    }
}
