package io.timesync.nts;

import io.timesync.ntp.KissCode;
import io.timesync.ntp.NtpPacket;
import io.timesync.ntp.NtpReply;
import io.timesync.ntp.ReplyStatus;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The NTS extension fields of NTPv4 packets (RFC 8915 §5): writing a client request (Unique
 * Identifier, NTS Cookie, Cookie Placeholders, NTS Authenticator) and checking a server reply
 * (the Unique Identifier echoed, the authenticator verified with the server-to-client key, the new
 * cookies taken from the encrypted fields). Pure: bytes and keys in, a {@link ReplyStatus} out;
 * malformed input never throws.
 */
public final class NtsExtensionFields {

    /** Extension field types (RFC 8915 §7.5). */
    public static final int UNIQUE_IDENTIFIER = 0x0104;
    public static final int COOKIE = 0x0204;
    public static final int COOKIE_PLACEHOLDER = 0x0304;
    public static final int AUTHENTICATOR = 0x0404;

    /** Length of the random unique identifier (RFC 8915 §5.3: at least 32). */
    public static final int UNIQUE_IDENTIFIER_LENGTH = 32;
    /** Length of the client's AEAD nonce (RFC 8915 §5.6: at least 16 for AES-SIV-CMAC-256). */
    public static final int NONCE_LENGTH = 16;

    private static final int HEADER = NtpPacket.HEADER_LENGTH;
    // Kiss code of an NTS NAK, as a reference id.
    private static final int NTSN = 0x4E54534E;
    // What open() returns for an authenticator field that is itself malformed (compared by identity).
    private static final byte[] MALFORMED = new byte[0];

    private NtsExtensionFields() {
    }

    /** The length of a request carrying a cookie of {@code cookieLength} bytes and {@code placeholders} placeholders. */
    public static int requestLength(int cookieLength, int placeholders) {
        int cookieField = 4 + pad4(cookieLength);
        return HEADER + 4 + UNIQUE_IDENTIFIER_LENGTH + cookieField * (1 + placeholders) + authenticatorLength(0);
    }

    /**
     * Writes a request into {@code buffer}: the 48-byte client header with {@code transmitTimestamp},
     * the Unique Identifier, the cookie, {@code placeholders} Cookie Placeholders of the cookie's size
     * (each asks the server for one more cookie), and the authenticator sealing all of it with the
     * client-to-server key and {@code nonce} (the plaintext is empty: a client has nothing to hide).
     *
     * @return the request's length ({@link #requestLength})
     */
    public static int writeRequest(byte[] buffer, long transmitTimestamp, byte[] uniqueIdentifier, byte[] cookie,
                                   int placeholders, byte[] nonce, AesSivCmac256 c2s) {
        int position = NtpPacket.encodeRequest(buffer, 0, transmitTimestamp);
        position = writeField(buffer, position, UNIQUE_IDENTIFIER, uniqueIdentifier, uniqueIdentifier.length);
        position = writeField(buffer, position, COOKIE, cookie, cookie.length);
        for (int i = 0; i < placeholders; i++) {
            position = writeField(buffer, position, COOKIE_PLACEHOLDER, null, cookie.length);
        }
        byte[] associatedData = Arrays.copyOf(buffer, position);
        byte[] sealed = c2s.seal(new byte[0], associatedData, nonce);
        int authenticatorLength = authenticatorLength(0);
        putU16(buffer, position, AUTHENTICATOR);
        putU16(buffer, position + 2, authenticatorLength);
        putU16(buffer, position + 4, nonce.length);
        putU16(buffer, position + 6, sealed.length);
        System.arraycopy(nonce, 0, buffer, position + 8, nonce.length);
        System.arraycopy(sealed, 0, buffer, position + 8 + pad4(nonce.length), sealed.length);
        return position + authenticatorLength;
    }

    /**
     * Checks a reply that {@code packet} has decoded from {@code buffer[0..length)} (RFC 7822 lengths
     * already checked) as the answer to the request with {@code uniqueIdentifier}: the identifier must
     * be echoed, and the fields before the authenticator and the header must verify with the
     * server-to-client key; then the new cookies in the encrypted fields go to {@code cookies}, and
     * the header is validated against {@code requestTimestamp}. An NTS NAK (a kiss NTSN echoing our
     * identifier and origin) yields {@link ReplyStatus#KISS_OF_DEATH} without authenticator, as
     * RFC 8915 §5.7 requires. Fields after the authenticator are not authenticated and are ignored.
     */
    public static ReplyStatus checkReply(byte[] buffer, int length, byte[] uniqueIdentifier,
                                         AesSivCmac256 s2c, Consumer<byte[]> cookies, long requestTimestamp) {
        if (NtpReply.macLength(buffer, 0, length) != 0) {
            return ReplyStatus.NTS_UNAUTHENTICATED;
        }
        int end = HEADER + NtpReply.extensionLength(buffer, 0, length);
        if (end > length) {
            return ReplyStatus.MALFORMED_EXTENSION;
        }
        boolean sawIdentifier = false;
        boolean identifierMatches = false;
        int authenticator = -1;
        for (int position = HEADER; position < end; ) {
            int type = u16(buffer, position);
            int fieldLength = u16(buffer, position + 2);
            if (type == UNIQUE_IDENTIFIER && !sawIdentifier) {
                sawIdentifier = true;
                identifierMatches = fieldLength - 4 == uniqueIdentifier.length
                        && Arrays.equals(buffer, position + 4, position + fieldLength, uniqueIdentifier, 0, uniqueIdentifier.length);
            } else if (type == AUTHENTICATOR) {
                authenticator = position;
                break;
            }
            position += fieldLength;
        }
        if (!sawIdentifier) {
            return ReplyStatus.NTS_NO_UNIQUE_IDENTIFIER;
        }
        if (!identifierMatches) {
            return ReplyStatus.NTS_UNIQUE_IDENTIFIER_MISMATCH;
        }
        if (authenticator < 0) {
            if (NtpReply.stratum(buffer, 0) == 0 && NtpReply.referenceId(buffer, 0) == NTSN) {
                return NtpReply.check(buffer, 0, length, requestTimestamp);
            }
            return ReplyStatus.NTS_UNAUTHENTICATED;
        }
        byte[] plaintext = open(buffer, authenticator, s2c);
        if (plaintext == MALFORMED) {
            return ReplyStatus.NTS_UNAUTHENTICATED;
        }
        if (plaintext == null) {
            return ReplyStatus.NTS_AUTHENTICATION_FAILED;
        }
        if (!takeCookies(plaintext, cookies)) {
            return ReplyStatus.MALFORMED_EXTENSION;
        }
        return NtpReply.check(buffer, 0, length, requestTimestamp);
    }

    /** Whether a kiss code is the NTS NAK. */
    public static boolean isNak(int referenceId) {
        return KissCode.of(referenceId) == KissCode.NTSN;
    }

    /** The plaintext of the authenticator at {@code position}; null when it does not verify; {@link #MALFORMED}. */
    private static byte[] open(byte[] buffer, int position, AesSivCmac256 s2c) {
        int fieldLength = u16(buffer, position + 2);
        if (fieldLength < 8) {
            return MALFORMED;
        }
        int nonceLength = u16(buffer, position + 4);
        int ciphertextLength = u16(buffer, position + 6);
        int nonceStart = position + 8;
        int ciphertextStart = nonceStart + pad4(nonceLength);
        if (nonceLength == 0 || ciphertextLength < AesSivCmac256.TAG_LENGTH
                || ciphertextStart + pad4(ciphertextLength) > position + fieldLength) {
            return MALFORMED;
        }
        byte[] associatedData = Arrays.copyOf(buffer, position);
        byte[] nonce = Arrays.copyOfRange(buffer, nonceStart, nonceStart + nonceLength);
        byte[] ciphertext = Arrays.copyOfRange(buffer, ciphertextStart, ciphertextStart + ciphertextLength);
        return s2c.open(ciphertext, associatedData, nonce);
    }

    private static boolean takeCookies(byte[] plaintext, Consumer<byte[]> cookies) {
        int position = 0;
        while (position < plaintext.length) {
            if (plaintext.length - position < 4) {
                return false;
            }
            int type = u16(plaintext, position);
            int fieldLength = u16(plaintext, position + 2);
            if (fieldLength < 4 || (fieldLength & 3) != 0 || fieldLength > plaintext.length - position) {
                return false;
            }
            if (type == COOKIE && fieldLength > 4 && fieldLength - 4 <= NtsKeRecords.MAX_COOKIE_LENGTH) {
                cookies.accept(Arrays.copyOfRange(plaintext, position + 4, position + fieldLength));
            }
            position += fieldLength;
        }
        return true;
    }

    private static int authenticatorLength(int plaintextLength) {
        return 8 + pad4(NONCE_LENGTH) + pad4(AesSivCmac256.TAG_LENGTH + plaintextLength);
    }

    private static int writeField(byte[] buffer, int position, int type, byte[] body, int bodyLength) {
        int fieldLength = 4 + pad4(bodyLength);
        putU16(buffer, position, type);
        putU16(buffer, position + 2, fieldLength);
        if (body == null) {
            Arrays.fill(buffer, position + 4, position + fieldLength, (byte) 0);
        } else {
            System.arraycopy(body, 0, buffer, position + 4, bodyLength);
            Arrays.fill(buffer, position + 4 + bodyLength, position + fieldLength, (byte) 0);
        }
        return position + fieldLength;
    }

    static int pad4(int n) {
        return (n + 3) & ~3;
    }

    private static int u16(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    private static void putU16(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 8);
        b[offset + 1] = (byte) value;
    }
}
