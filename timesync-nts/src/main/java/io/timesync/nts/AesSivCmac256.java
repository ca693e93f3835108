package io.timesync.nts;

import org.cryptomator.siv.SivMode;
import org.cryptomator.siv.UnauthenticCiphertextException;

import javax.crypto.IllegalBlockSizeException;
import java.util.Arrays;

/**
 * AEAD_AES_SIV_CMAC_256 (RFC 5297, RFC 5116 id 15), the one AEAD every NTS implementation speaks.
 * The 32-byte key is K1 (S2V, the MAC) followed by K2 (CTR); the output is the 16-byte synthetic
 * IV followed by the ciphertext. The nonce is the last associated-data vector, as RFC 5297 §3 says.
 *
 * <p>Immutable and thread-safe.
 */
public final class AesSivCmac256 {

    /** The AEAD's IANA number, as NTS-KE negotiates it. */
    public static final int ID = 15;
    /** Key length in bytes. */
    public static final int KEY_LENGTH = 32;
    /** Length of the synthetic IV that prefixes every ciphertext (and authenticates it). */
    public static final int TAG_LENGTH = 16;

    private static final SivMode SIV = new SivMode();

    private final byte[] macKey;
    private final byte[] ctrKey;

    /** @param key 32 bytes: K1 (MAC) then K2 (CTR); copied */
    public AesSivCmac256(byte[] key) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("AES-SIV-CMAC-256 needs a 32-byte key, got " + key.length);
        }
        this.macKey = Arrays.copyOfRange(key, 0, 16);
        this.ctrKey = Arrays.copyOfRange(key, 16, 32);
    }

    /**
     * Encrypts and authenticates.
     *
     * @param associatedData the authenticated but unencrypted vectors, in order (the nonce last)
     * @return IV || ciphertext, {@link #TAG_LENGTH} bytes longer than {@code plaintext}
     */
    public byte[] seal(byte[] plaintext, byte[]... associatedData) {
        return SIV.encrypt(ctrKey, macKey, plaintext, associatedData);
    }

    /**
     * Checks and decrypts.
     *
     * @return the plaintext, or null when the ciphertext or any associated data was not produced by
     *         this key (tampered, truncated, forged)
     */
    public byte[] open(byte[] ciphertext, byte[]... associatedData) {
        if (ciphertext.length < TAG_LENGTH) {
            return null;
        }
        try {
            return SIV.decrypt(ctrKey, macKey, ciphertext, associatedData);
        } catch (UnauthenticCiphertextException | IllegalBlockSizeException e) {
            return null;
        }
    }
}
