package io.timesync.nts;

import io.timesync.ntp.NtpPacket;
import io.timesync.ntp.NtpReply;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.ntp.ReplyStatus;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NTS extension fields against a server written from RFC 8915 §5 in this test (the real one,
 * chronyd, is in {@link NtsProbeChronyTest}), and seeded corruption of replies.
 */
class NtsExtensionFieldsTest {

    private static final long SEED = 5297;
    private static final byte[] C2S = filled(32, 0x11);
    private static final byte[] S2C = filled(32, 0x22);
    private static final long T1 = NtpTimestamp.fromUnixNanos(1_800_000_000_123_456_789L);

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private final byte[] uid = filled(32, 0x5A);
    private final byte[] nonce = filled(16, 0x3C);

    /** The server side of RFC 8915 §5.7: checks the request, answers with {@code cookies} fresh cookies. */
    private static byte[] serverReply(byte[] request, int requestLength, int cookies, boolean nak) {
        // Verify the client's authenticator as a server would: everything before it is associated data.
        int position = 48;
        byte[] uniqueIdentifier = null;
        int authenticator = -1;
        while (position < requestLength) {
            int type = ((request[position] & 0xFF) << 8) | (request[position + 1] & 0xFF);
            int length = ((request[position + 2] & 0xFF) << 8) | (request[position + 3] & 0xFF);
            if (type == NtsExtensionFields.UNIQUE_IDENTIFIER) {
                uniqueIdentifier = Arrays.copyOfRange(request, position + 4, position + length);
            } else if (type == NtsExtensionFields.AUTHENTICATOR) {
                authenticator = position;
            }
            position += length;
        }
        assertThat(authenticator).isPositive();
        byte[] nonce = Arrays.copyOfRange(request, authenticator + 8, authenticator + 24);
        byte[] ciphertext = Arrays.copyOfRange(request, authenticator + 24, authenticator + 40);
        assertThat(new AesSivCmac256(C2S).open(ciphertext, Arrays.copyOf(request, authenticator), nonce)).isEmpty();

        byte[] reply = new byte[1024];
        long origin = ((long) MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.BIG_ENDIAN).get(request, 40));
        ByteBuffer b = ByteBuffer.wrap(reply);
        b.put((byte) 0x24).put((byte) (nak ? 0 : 2)).put((byte) 6).put((byte) -20);
        b.putInt(0x100).putInt(0x100).putInt(nak ? 0x4E54534E : 0x7F000001);
        b.putLong(T1 - (1L << 32)).putLong(origin).putLong(T1 + 1000).putLong(T1 + 2000);
        b.putShort((short) NtsExtensionFields.UNIQUE_IDENTIFIER).putShort((short) (4 + uniqueIdentifier.length)).put(uniqueIdentifier);
        if (nak) {
            return Arrays.copyOf(reply, b.position());
        }
        int authenticatorStart = b.position();
        ByteBuffer plaintext = ByteBuffer.allocate(cookies * 104);
        for (int i = 0; i < cookies; i++) {
            plaintext.putShort((short) NtsExtensionFields.COOKIE).putShort((short) 104).put(filled(100, 0x70 + i));
        }
        byte[] serverNonce = filled(16, 0x44);
        byte[] sealed = new AesSivCmac256(S2C).seal(plaintext.array(), Arrays.copyOf(reply, authenticatorStart), serverNonce);
        b.putShort((short) NtsExtensionFields.AUTHENTICATOR).putShort((short) (8 + 16 + sealed.length))
                .putShort((short) 16).putShort((short) sealed.length).put(serverNonce).put(sealed);
        return Arrays.copyOf(reply, b.position());
    }

    private byte[] request(int placeholders) {
        byte[] buffer = new byte[4096];
        int length = NtsExtensionFields.writeRequest(buffer, T1, uid, filled(100, 0x01), placeholders, nonce,
                new AesSivCmac256(C2S));
        assertThat(length).isEqualTo(NtsExtensionFields.requestLength(100, placeholders));
        return Arrays.copyOf(buffer, length);
    }

    private ReplyStatus check(byte[] reply, int length, List<byte[]> cookies) {
        ReplyStatus status = NtpReply.checkFormat(reply, 0, length);
        if (!status.isOk()) {
            return status;
        }
        return NtsExtensionFields.checkReply(reply, length, uid, new AesSivCmac256(S2C), cookies::add, T1);
    }

    @Test
    void theRequestCarriesIdentifierCookiePlaceholdersAndAVerifiableAuthenticator() {
        byte[] request = request(3);
        assertThat(request).hasSize(48 + 36 + 104 * 4 + 40);
        assertThat(request[0]).isEqualTo((byte) 0x23);
        assertThat(Arrays.copyOfRange(request, 48, 52)).containsExactly(0x01, 0x04, 0, 36);
        assertThat(Arrays.copyOfRange(request, 84, 88)).containsExactly(0x02, 0x04, 0, 104);
        assertThat(Arrays.copyOfRange(request, 188, 192)).containsExactly(0x03, 0x04, 0, 104);
        assertThat(Arrays.copyOfRange(request, 192, 292)).containsOnly(0);
        assertThat(NtpReply.checkFormat(request, 0, request.length)).isEqualTo(ReplyStatus.OK);
        serverReply(request, request.length, 1, false);
    }

    @Test
    void anAuthenticReplyIsAcceptedAndItsCookiesTaken() {
        byte[] request = request(3);
        byte[] reply = serverReply(request, request.length, 4, false);
        List<byte[]> cookies = new ArrayList<>();

        assertThat(check(reply, reply.length, cookies)).isEqualTo(ReplyStatus.OK);
        assertThat(cookies).hasSize(4);
        assertThat(cookies.get(2)).hasSize(100).containsOnly(0x72);
    }

    @Test
    void aNakEchoingOurIdentifierIsAKissWithoutAuthenticator() {
        byte[] request = request(0);
        byte[] nak = serverReply(request, request.length, 0, true);
        assertThat(check(nak, nak.length, new ArrayList<>())).isEqualTo(ReplyStatus.KISS_OF_DEATH);
        assertThat(NtsExtensionFields.isNak(0x4E54534E)).isTrue();
    }

    @Test
    void aNakForAnotherRequestIsIgnored() {
        byte[] request = request(0);
        byte[] nak = serverReply(request, request.length, 0, true);
        nak[60] ^= 1;
        assertThat(check(nak, nak.length, new ArrayList<>())).isEqualTo(ReplyStatus.NTS_UNIQUE_IDENTIFIER_MISMATCH);
    }

    @Test
    void aReplyWithoutAuthenticatorIsUnauthenticated() {
        byte[] request = request(0);
        byte[] reply = serverReply(request, request.length, 1, false);
        // Keep the header and the identifier only: a well-formed packet that proves nothing.
        assertThat(check(reply, 48 + 36, new ArrayList<>())).isEqualTo(ReplyStatus.NTS_UNAUTHENTICATED);
    }

    @Test
    void everySingleBitFlipIsRejectedWithoutTakingACookie() {
        byte[] request = request(1);
        byte[] reply = serverReply(request, request.length, 2, false);
        Map<ReplyStatus, Integer> statuses = new EnumMap<>(ReplyStatus.class);
        for (int bit = 0; bit < reply.length * 8; bit++) {
            byte[] b = reply.clone();
            b[bit / 8] ^= (byte) (1 << (bit % 8));
            List<byte[]> cookies = new ArrayList<>();
            ReplyStatus status = check(b, b.length, cookies);
            assertThat(status).as("bit %d", bit).isNotEqualTo(ReplyStatus.OK);
            if (status != ReplyStatus.MALFORMED_EXTENSION && status != ReplyStatus.NTS_AUTHENTICATION_FAILED
                    && status.isUnproven()) {
                assertThat(cookies).as("bit %d", bit).isEmpty();
            }
            statuses.merge(status, 1, Integer::sum);
        }
        assertThat(statuses).containsKeys(ReplyStatus.NTS_AUTHENTICATION_FAILED,
                ReplyStatus.NTS_UNIQUE_IDENTIFIER_MISMATCH, ReplyStatus.NTS_NO_UNIQUE_IDENTIFIER);
    }

    @Test
    void seededCorruptionNeverThrowsPastTheTypedOutcome() {
        byte[] request = request(2);
        byte[] reply = serverReply(request, request.length, 3, false);
        SplittableRandom random = new SplittableRandom(SEED);
        Map<ReplyStatus, Integer> statuses = new EnumMap<>(ReplyStatus.class);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = Arrays.copyOf(reply, reply.length + 64);
            int length = reply.length;
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                switch (length > 52 ? random.nextInt(4) : 0) {
                    case 0 -> b[random.nextInt(length)] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> b[48 + random.nextInt(length - 48)] = (byte) random.nextInt(256);
                    case 2 -> length = 48 + random.nextInt(length - 47);
                    default -> {
                        // Rewrite a field length: the classic way to make a parser read past the end.
                        int at = 48 + 4 * random.nextInt((length - 48) / 4);
                        b[at + 2] = (byte) random.nextInt(256);
                        b[at + 3] = (byte) (random.nextInt(64) * 4);
                    }
                }
            }
            try {
                ReplyStatus status = check(b, length, new ArrayList<>());
                boolean unchanged = Arrays.equals(b, 0, length, reply, 0, reply.length);
                // Only a corruption that changed nothing (a byte rewritten with its own value) may pass.
                assertThat(status == ReplyStatus.OK).as("seed %d, case %d", SEED, i).isEqualTo(unchanged);
                statuses.merge(status, 1, Integer::sum);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + ", case " + i, e);
            }
        }
        assertThat(statuses).as("seed %d", SEED).containsKeys(ReplyStatus.NTS_AUTHENTICATION_FAILED,
                ReplyStatus.MALFORMED_EXTENSION);
    }
}
