package io.timesync.ntp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads NTPv4 packets (RFC 5905 §7.3) where they lie: a view over the caller's
 * {@code (buffer, offset, length)}, with nothing copied and nothing stored. {@link #check} validates
 * a server reply by reading only the words it needs; every field is then decoded on demand by its
 * accessor, straight from the buffer.
 *
 * <p>The caller's obligations, as in any view: {@code offset} and {@code length} lie within the
 * array; the accessors give meaningful values only after {@link #check} (or {@link #checkFormat} for a
 * packet that is not a reply to us) returned {@link ReplyStatus#OK} for the same bytes, and only
 * while the caller leaves those bytes alone. Bad input yields a {@link ReplyStatus}, never an
 * exception. Everything here is static, pure and allocation-free, so it is safe from any thread.
 */
public final class NtpReply {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    // Byte offsets of the words read whole.
    private static final int REFERENCE = 16;
    private static final int ORIGIN = 24;
    private static final int RECEIVE = 32;
    private static final int TRANSMIT = 40;

    // LI 0, version 4, mode 4, stratum 1: the lowest head (first 16 bits) of the usual valid reply.
    private static final int USUAL_HEAD_MIN = (((NtpPacket.VERSION << 3) | NtpPacket.MODE_SERVER) << 8) | 1;

    // RFC 7822: an extension field is at least 16 bytes and a multiple of 4. A MAC is a 4-byte key id
    // plus a 16-byte (MD5) or 20-byte (SHA-1) digest, or the 4-byte crypto-NAK. The last extension
    // field must be at least 28 bytes when no MAC follows, which keeps 20 and 24 unambiguous.
    private static final int MIN_EXTENSION_LENGTH = 16;
    private static final int CRYPTO_NAK_LENGTH = 4;
    private static final int MAC_MD5_LENGTH = 20;
    private static final int MAC_SHA1_LENGTH = 24;
    // What the trailer walk returns when the trailer does not add up.
    private static final long MALFORMED = -1;

    private NtpReply() {
    }

    /**
     * Checks {@code length} bytes at {@code offset} as the reply to the request whose transmit
     * timestamp was {@code requestTimestamp}: the length, the extension fields and MAC after the
     * header (lengths only, RFC 7822; their content is not trusted here), then the header. The header
     * checks run in an order that keeps forged packets from being believed: a kiss code is only
     * reported once the origin matched.
     */
    public static ReplyStatus check(byte[] buffer, int offset, int length, long requestTimestamp) {
        if (length != NtpPacket.HEADER_LENGTH) {
            return checkWithTrailer(buffer, offset, length, requestTimestamp);
        }
        // The usual reply (no leap second pending, version 4, server mode, stratum 1-15, origin
        // matched, T2 and T3 set and in order) is checked on four words; anything else, valid or not,
        // is diagnosed one check at a time. Short-circuit tests, origin first: each is a branch that a
        // stream of valid replies predicts perfectly, which measured 10 % faster than combining the
        // conditions without branches (which costs a setcc and an and per condition).
        int head = (int) (word(buffer, offset, 0) >>> 48);
        long receive = word(buffer, offset, RECEIVE);
        long transmit = word(buffer, offset, TRANSMIT);
        boolean usual = word(buffer, offset, ORIGIN) == requestTimestamp
                && Integer.compareUnsigned(head - USUAL_HEAD_MIN, NtpPacket.MAX_STRATUM) < 0
                && receive != 0 && transmit != 0
                && NtpTimestamp.difference(transmit, receive) >= 0;
        return usual ? ReplyStatus.OK : diagnose(buffer, offset, requestTimestamp);
    }

    /**
     * Checks only that {@code length} bytes hold a header and well-formed extension fields and MAC
     * after it, for reading a packet that is not a reply to one of our requests.
     *
     * @return {@link ReplyStatus#OK}, {@link ReplyStatus#TOO_SHORT} or {@link ReplyStatus#MALFORMED_EXTENSION}
     */
    public static ReplyStatus checkFormat(byte[] buffer, int offset, int length) {
        if (length < NtpPacket.HEADER_LENGTH) {
            return ReplyStatus.TOO_SHORT;
        }
        return trailer(buffer, offset, length) == MALFORMED ? ReplyStatus.MALFORMED_EXTENSION : ReplyStatus.OK;
    }

    private static ReplyStatus checkWithTrailer(byte[] buffer, int offset, int length, long requestTimestamp) {
        ReplyStatus format = checkFormat(buffer, offset, length);
        return format.isOk() ? diagnose(buffer, offset, requestTimestamp) : format;
    }

    private static ReplyStatus diagnose(byte[] buffer, int offset, long requestTimestamp) {
        int version = version(buffer, offset);
        if (version < 3 || version > NtpPacket.VERSION) {
            return ReplyStatus.UNSUPPORTED_VERSION;
        }
        if (mode(buffer, offset) != NtpPacket.MODE_SERVER) {
            return ReplyStatus.WRONG_MODE;
        }
        if (originTimestamp(buffer, offset) != requestTimestamp) {
            return ReplyStatus.ORIGIN_MISMATCH;
        }
        long transmit = transmitTimestamp(buffer, offset);
        if (transmit == 0) {
            return ReplyStatus.ZERO_TRANSMIT;
        }
        int stratum = stratum(buffer, offset);
        if (stratum == 0) {
            return ReplyStatus.KISS_OF_DEATH;
        }
        if (leap(buffer, offset) == Leap.UNSYNCHRONIZED.code()) {
            return ReplyStatus.UNSYNCHRONIZED;
        }
        if (stratum > NtpPacket.MAX_STRATUM) {
            return ReplyStatus.STRATUM_TOO_HIGH;
        }
        long receive = receiveTimestamp(buffer, offset);
        if (receive == 0) {
            return ReplyStatus.ZERO_RECEIVE;
        }
        if (NtpTimestamp.difference(transmit, receive) < 0) {
            return ReplyStatus.TRANSMIT_BEFORE_RECEIVE;
        }
        return ReplyStatus.OK;
    }

    /**
     * Walks the extension fields and MAC after the header: {@link #MALFORMED}, or the field count
     * (bits 32-47), their total length (bits 8-31) and the MAC length (bits 0-7).
     */
    private static long trailer(byte[] buffer, int offset, int length) {
        int position = offset + NtpPacket.HEADER_LENGTH;
        int remaining = length - NtpPacket.HEADER_LENGTH;
        int fields = 0;
        int fieldBytes = 0;
        while (remaining > MAC_SHA1_LENGTH || remaining == MIN_EXTENSION_LENGTH) {
            int fieldLength = ((buffer[position + 2] & 0xFF) << 8) | (buffer[position + 3] & 0xFF);
            if (fieldLength < MIN_EXTENSION_LENGTH || (fieldLength & 3) != 0 || fieldLength > remaining) {
                return MALFORMED;
            }
            fields++;
            fieldBytes += fieldLength;
            position += fieldLength;
            remaining -= fieldLength;
        }
        if (remaining != 0 && remaining != CRYPTO_NAK_LENGTH && remaining != MAC_MD5_LENGTH
                && remaining != MAC_SHA1_LENGTH) {
            return MALFORMED;
        }
        return ((long) fields << 32) | ((long) fieldBytes << 8) | remaining;
    }

    private static long word(byte[] buffer, int offset, int at) {
        return (long) LONG.get(buffer, offset + at);
    }

    /** Leap indicator code (0-3); see {@link Leap#of(int)}. */
    public static int leap(byte[] buffer, int offset) {
        return (buffer[offset] >> 6) & 0b11;
    }

    /** Version number (3 bits). */
    public static int version(byte[] buffer, int offset) {
        return (buffer[offset] >> 3) & 0b111;
    }

    /** Association mode (3 bits). */
    public static int mode(byte[] buffer, int offset) {
        return buffer[offset] & 0b111;
    }

    /** Stratum (0 = kiss, 1 = primary, 2-15 secondary, 16 unsynchronised). */
    public static int stratum(byte[] buffer, int offset) {
        return buffer[offset + 1] & 0xFF;
    }

    /** Poll exponent (signed log2 seconds). */
    public static int poll(byte[] buffer, int offset) {
        return buffer[offset + 2];
    }

    /** Precision exponent (signed log2 seconds). */
    public static int precision(byte[] buffer, int offset) {
        return buffer[offset + 3];
    }

    /** Root delay, raw 16.16 unsigned; see {@link NtpTimestamp#shortToNanos(int)}. */
    public static int rootDelay(byte[] buffer, int offset) {
        return (int) word(buffer, offset, 0);
    }

    /** Root dispersion, raw 16.16 unsigned; see {@link NtpTimestamp#shortToNanos(int)}. */
    public static int rootDispersion(byte[] buffer, int offset) {
        return (int) (word(buffer, offset, 8) >>> 32);
    }

    /** Reference id, raw; see {@link ReferenceId#format} and {@link KissCode#of(int)}. */
    public static int referenceId(byte[] buffer, int offset) {
        return (int) word(buffer, offset, 8);
    }

    /** When the server's clock was last set, raw 32.32. */
    public static long referenceTimestamp(byte[] buffer, int offset) {
        return word(buffer, offset, REFERENCE);
    }

    /** The echo of our request's transmit timestamp (raw 32.32). */
    public static long originTimestamp(byte[] buffer, int offset) {
        return word(buffer, offset, ORIGIN);
    }

    /** T2: when the server received the request (raw 32.32). */
    public static long receiveTimestamp(byte[] buffer, int offset) {
        return word(buffer, offset, RECEIVE);
    }

    /** T3: when the server sent the reply (raw 32.32). */
    public static long transmitTimestamp(byte[] buffer, int offset) {
        return word(buffer, offset, TRANSMIT);
    }

    /** Number of extension fields after the header, in a packet whose format checked OK. */
    public static int extensionFieldCount(byte[] buffer, int offset, int length) {
        return (int) (trailer(buffer, offset, length) >>> 32);
    }

    /** Total bytes of extension fields after the header, in a packet whose format checked OK. */
    public static int extensionLength(byte[] buffer, int offset, int length) {
        return (int) (trailer(buffer, offset, length) >>> 8) & 0xFF_FFFF;
    }

    /** Length of the trailing MAC (0 when absent, 4 for a crypto-NAK), in a packet whose format checked OK. */
    public static int macLength(byte[] buffer, int offset, int length) {
        return (int) trailer(buffer, offset, length) & 0xFF;
    }
}
