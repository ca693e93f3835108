package io.timesync.ntp;

import java.nio.ByteBuffer;

/** Builds server replies byte by byte for the codec tests. */
final class Replies {

    static final long ORIGIN = 0xEB00_1234_89AB_CDEFL;
    static final long RECEIVE = 0xEB00_1234_8000_0000L;
    static final long TRANSMIT = 0xEB00_1234_8000_1000L;

    private Replies() {
    }

    /** A valid stratum-2 reply to a request whose transmit timestamp was {@link #ORIGIN}. */
    static ByteBuffer valid() {
        return header(0, 4, 4, 2, ORIGIN, RECEIVE, TRANSMIT);
    }

    static ByteBuffer header(int leap, int version, int mode, int stratum, long origin, long receive, long transmit) {
        ByteBuffer b = ByteBuffer.allocate(48);
        b.put((byte) ((leap << 6) | (version << 3) | mode));
        b.put((byte) stratum);
        b.put((byte) 6);
        b.put((byte) -23);
        b.putInt(0x0000_0A00);
        b.putInt(0x0000_0500);
        b.putInt(0xC000_0201);
        b.putLong(RECEIVE - (1L << 32));
        b.putLong(origin);
        b.putLong(receive);
        b.putLong(transmit);
        return b;
    }

    /** The header followed by {@code trailer}. */
    static byte[] withTrailer(ByteBuffer header, byte[] trailer) {
        byte[] out = new byte[48 + trailer.length];
        System.arraycopy(header.array(), 0, out, 0, 48);
        System.arraycopy(trailer, 0, out, 48, trailer.length);
        return out;
    }

    /** An extension field of {@code length} bytes (type 0x0104, the NTS unique identifier). */
    static byte[] extension(int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        b.putShort((short) 0x0104);
        b.putShort((short) length);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
