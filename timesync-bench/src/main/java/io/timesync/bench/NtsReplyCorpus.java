package io.timesync.bench;

import io.timesync.ntp.NtpPacket;
import io.timesync.nts.AesSivCmac256;
import io.timesync.nts.NtsExtensionFields;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The replies of {@link ReplyCorpus}, NTS-protected as a server sends them in steady state (RFC 8915
 * §5.7): the header, the echoed 32-byte unique identifier, and the authenticator sealing both with
 * the server-to-client key around one fresh 100-byte cookie (chronyd's size). 228 bytes each.
 */
public final class NtsReplyCorpus {

    /** The plain replies and their local times. */
    public final ReplyCorpus plain;
    /** The NTS replies. */
    public final byte[][] replies = new byte[ReplyCorpus.SIZE][];
    /** The unique identifier of the request each reply answers. */
    public final byte[][] uniqueIdentifiers = new byte[ReplyCorpus.SIZE][];
    /** The key the client verifies with. */
    public final AesSivCmac256 s2c;

    /** Builds the corpus from a seed (the plain corpus uses the same one). */
    public NtsReplyCorpus(long seed) {
        plain = new ReplyCorpus(seed);
        SplittableRandom random = new SplittableRandom(seed ^ 8915);
        byte[] key = new byte[AesSivCmac256.KEY_LENGTH];
        random.nextBytes(key);
        s2c = new AesSivCmac256(key);
        for (int i = 0; i < ReplyCorpus.SIZE; i++) {
            byte[] uid = new byte[NtsExtensionFields.UNIQUE_IDENTIFIER_LENGTH];
            random.nextBytes(uid);
            uniqueIdentifiers[i] = uid;
            byte[] cookie = new byte[100];
            random.nextBytes(cookie);
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            replies[i] = seal(plain.replies[i], uid, cookie, nonce, s2c);
        }
    }

    private static byte[] seal(byte[] header, byte[] uid, byte[] cookie, byte[] nonce, AesSivCmac256 key) {
        ByteBuffer b = ByteBuffer.allocate(1024);
        b.put(header, 0, NtpPacket.HEADER_LENGTH);
        b.putShort((short) NtsExtensionFields.UNIQUE_IDENTIFIER).putShort((short) (4 + uid.length)).put(uid);
        int authenticated = b.position();
        ByteBuffer plaintext = ByteBuffer.allocate(4 + cookie.length);
        plaintext.putShort((short) NtsExtensionFields.COOKIE).putShort((short) (4 + cookie.length)).put(cookie);
        byte[] sealed = key.seal(plaintext.array(), Arrays.copyOf(b.array(), authenticated), nonce);
        b.putShort((short) NtsExtensionFields.AUTHENTICATOR).putShort((short) (8 + nonce.length + sealed.length))
                .putShort((short) nonce.length).putShort((short) sealed.length).put(nonce).put(sealed);
        return Arrays.copyOf(b.array(), b.position());
    }
}
