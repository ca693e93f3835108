package io.timesync.nts;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The AEAD against RFC 5297 Appendix A (both vectors), and its refusal of anything altered. */
class AesSivCmac256Test {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    // RFC 5297 A.1: deterministic authenticated encryption (one AD vector, no nonce).
    private static final byte[] A1_KEY = hex("fffefdfc fbfaf9f8 f7f6f5f4 f3f2f1f0 f0f1f2f3 f4f5f6f7 f8f9fafb fcfdfeff");
    private static final byte[] A1_AD = hex("10111213 14151617 18191a1b 1c1d1e1f 20212223 24252627");
    private static final byte[] A1_PLAINTEXT = hex("11223344 55667788 99aabbcc ddee");
    private static final byte[] A1_OUTPUT = hex("85632d07 c6e8f37f 950acd32 0a2ecc93 40c02b96 90c4dc04 daef7f6a fe5c");

    // RFC 5297 A.2: nonce-based, two AD vectors then the nonce.
    private static final byte[] A2_KEY = hex("7f7e7d7c 7b7a7978 77767574 73727170 40414243 44454647 48494a4b 4c4d4e4f");
    private static final byte[] A2_AD1 = hex("00112233 44556677 8899aabb ccddeeff deaddada deaddada ffeeddcc bbaa9988 77665544 33221100");
    private static final byte[] A2_AD2 = hex("10203040 50607080 90a0");
    private static final byte[] A2_NONCE = hex("09f91102 9d74e35b d84156c5 635688c0");
    private static final byte[] A2_PLAINTEXT = hex("74686973 20697320 736f6d65 20706c61 696e7465 78742074 6f20656e 63727970 74207573 696e6720 5349562d 414553");
    private static final byte[] A2_OUTPUT = hex("7bdb6e3b 432667eb 06f4d14b ff2fbd0f cb900f2f ddbe4043 26601965 c889bf17 dba77ceb 094fa663 b7a3f748 ba8af829 ea64ad54 4a272e9c 485b62a3 fd5c0d");

    @Test
    void rfc5297DeterministicVector() {
        AesSivCmac256 aead = new AesSivCmac256(A1_KEY);
        assertThat(aead.seal(A1_PLAINTEXT, A1_AD)).isEqualTo(A1_OUTPUT);
        assertThat(aead.open(A1_OUTPUT, A1_AD)).isEqualTo(A1_PLAINTEXT);
    }

    @Test
    void rfc5297NonceBasedVector() {
        AesSivCmac256 aead = new AesSivCmac256(A2_KEY);
        assertThat(aead.seal(A2_PLAINTEXT, A2_AD1, A2_AD2, A2_NONCE)).isEqualTo(A2_OUTPUT);
        assertThat(aead.open(A2_OUTPUT, A2_AD1, A2_AD2, A2_NONCE)).isEqualTo(A2_PLAINTEXT);
    }

    @Test
    void emptyPlaintextAsAnNtsClientSendsIt() {
        AesSivCmac256 aead = new AesSivCmac256(A2_KEY);
        byte[] sealed = aead.seal(new byte[0], A2_AD1, A2_NONCE);
        assertThat(sealed).hasSize(AesSivCmac256.TAG_LENGTH);
        assertThat(aead.open(sealed, A2_AD1, A2_NONCE)).isEmpty();
    }

    @Test
    void everySingleBitFlipInCiphertextAssociatedDataOrNonceIsRefused() {
        AesSivCmac256 aead = new AesSivCmac256(A2_KEY);
        for (int bit = 0; bit < A2_OUTPUT.length * 8; bit++) {
            byte[] c = A2_OUTPUT.clone();
            c[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(aead.open(c, A2_AD1, A2_AD2, A2_NONCE)).as("ciphertext bit %d", bit).isNull();
        }
        for (int bit = 0; bit < A2_AD1.length * 8; bit++) {
            byte[] ad = A2_AD1.clone();
            ad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(aead.open(A2_OUTPUT, ad, A2_AD2, A2_NONCE)).as("AD bit %d", bit).isNull();
        }
        for (int bit = 0; bit < A2_NONCE.length * 8; bit++) {
            byte[] nonce = A2_NONCE.clone();
            nonce[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(aead.open(A2_OUTPUT, A2_AD1, A2_AD2, nonce)).as("nonce bit %d", bit).isNull();
        }
    }

    @Test
    void truncatedOrWrongKeyIsRefused() {
        AesSivCmac256 aead = new AesSivCmac256(A2_KEY);
        assertThat(aead.open(new byte[5], A2_AD1)).isNull();
        byte[] other = A2_KEY.clone();
        other[31] ^= 1;
        assertThat(new AesSivCmac256(other).open(A2_OUTPUT, A2_AD1, A2_AD2, A2_NONCE)).isNull();
    }

    @Test
    void roundTripsRandomMessages() {
        SplittableRandom random = new SplittableRandom(5297);
        for (int i = 0; i < 200; i++) {
            byte[] key = new byte[32];
            byte[] plaintext = new byte[random.nextInt(300)];
            byte[] ad = new byte[random.nextInt(200)];
            random.nextBytes(key);
            random.nextBytes(plaintext);
            random.nextBytes(ad);
            AesSivCmac256 aead = new AesSivCmac256(key);
            assertThat(aead.open(aead.seal(plaintext, ad), ad)).isEqualTo(plaintext);
        }
    }
}
