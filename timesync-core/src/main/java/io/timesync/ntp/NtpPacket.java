package io.timesync.ntp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The NTPv4 packet layout (RFC 5905 §7.3) and the client request: {@link #encodeRequest} writes a
 * request into the caller's buffer; {@link NtpReply} reads the server's reply where it lies. Pure and
 * allocation-free.
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

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private NtpPacket() {
    }

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
}
