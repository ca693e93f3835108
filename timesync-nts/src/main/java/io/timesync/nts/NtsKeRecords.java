package io.timesync.nts;

import io.timesync.time.ServerAddress;
import io.timesync.nts.NtsKeException.Reason;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The NTS-KE record codec (RFC 8915 §4): the client's request, and the checks on the server's
 * response. Pure: bytes in, a {@link NtsKeResponse} or a typed {@link NtsKeException} out; malformed
 * input never escapes as any other exception.
 */
public final class NtsKeRecords {

    /** Record types (RFC 8915 §7.6). */
    static final int END_OF_MESSAGE = 0;
    static final int NEXT_PROTOCOL = 1;
    static final int ERROR = 2;
    static final int WARNING = 3;
    static final int AEAD_ALGORITHM = 4;
    static final int NEW_COOKIE = 5;
    static final int NTPV4_SERVER = 6;
    static final int NTPV4_PORT = 7;

    /** The critical bit of a record's type field. */
    static final int CRITICAL = 0x8000;
    /** Next Protocol id of NTPv4. */
    static final int PROTOCOL_NTPV4 = 0;

    /** A response longer than this is refused: real ones are a few hundred bytes (8 cookies of ~100). */
    public static final int MAX_MESSAGE = 16 * 1024;
    /** Cookies kept from one response; more are ignored (RFC 8915 suggests 8). */
    public static final int MAX_COOKIES = 8;
    /** The longest cookie accepted: it travels in every request, which must fit in a datagram with 7 placeholders. */
    public static final int MAX_COOKIE_LENGTH = 256;
    private static final int MAX_SERVER_NAME = 255;

    private static final String[] ERROR_CODES = {"unrecognized critical record", "bad request", "internal server error"};

    private NtsKeRecords() {
    }

    /**
     * The client's request: Next Protocol NTPv4, AEAD AES-SIV-CMAC-256, End of Message, each with the
     * critical bit set (chrony and ntpd-rs send the same).
     */
    public static byte[] request() {
        return new byte[] {
            (byte) 0x80, NEXT_PROTOCOL, 0, 2, 0, PROTOCOL_NTPV4,
            (byte) 0x80, AEAD_ALGORITHM, 0, 2, 0, AesSivCmac256.ID,
            (byte) 0x80, END_OF_MESSAGE, 0, 0,
        };
    }

    /**
     * Where the record starting at {@code offset} in {@code message[0..length)} ends, or -1 when its
     * header or body is cut short. Used by the reader to find the end of message as bytes arrive.
     */
    static int recordEnd(byte[] message, int offset, int length) {
        if (length - offset < 4) {
            return -1;
        }
        int end = offset + 4 + u16(message, offset + 2);
        return end <= length ? end : -1;
    }

    /** The type of the record at {@code offset}, without the critical bit. */
    static int recordType(byte[] message, int offset) {
        return u16(message, offset) & ~CRITICAL;
    }

    /**
     * Checks a complete response (up to and including End of Message) as RFC 8915 §4 requires.
     *
     * @throws NtsKeException with the reason: an Error or Warning record, an unknown critical record,
     *                        no NTPv4, no AES-SIV-CMAC-256, no cookie, or malformed records
     */
    public static NtsKeResponse parse(byte[] message, int length) throws NtsKeException {
        if (length > MAX_MESSAGE) {
            throw new NtsKeException(Reason.TOO_LARGE, length + " bytes, at most " + MAX_MESSAGE + " accepted");
        }
        boolean sawProtocol = false;
        boolean sawAead = false;
        List<byte[]> cookies = new ArrayList<>(MAX_COOKIES);
        String server = null;
        int port = 0;
        int offset = 0;
        while (true) {
            int end = recordEnd(message, offset, length);
            if (end < 0) {
                throw new NtsKeException(Reason.MALFORMED, offset == length ? "no End of Message record"
                        : "record at byte " + offset + " is cut short");
            }
            int field = u16(message, offset);
            boolean critical = (field & CRITICAL) != 0;
            int type = field & ~CRITICAL;
            int body = offset + 4;
            int bodyLength = end - body;
            switch (type) {
                case END_OF_MESSAGE -> {
                    if (bodyLength != 0 || !critical) {
                        throw new NtsKeException(Reason.MALFORMED, "End of Message must be critical and empty");
                    }
                    if (end != length) {
                        throw new NtsKeException(Reason.MALFORMED, (length - end) + " bytes after End of Message");
                    }
                    if (!sawProtocol) {
                        throw new NtsKeException(Reason.NO_NTPV4, "no Next Protocol Negotiation record");
                    }
                    if (!sawAead) {
                        throw new NtsKeException(Reason.NO_AEAD, "no AEAD Algorithm Negotiation record");
                    }
                    if (cookies.isEmpty()) {
                        throw new NtsKeException(Reason.NO_COOKIES, null);
                    }
                    return new NtsKeResponse(cookies, server, port);
                }
                case NEXT_PROTOCOL -> {
                    if (sawProtocol || !critical) {
                        throw new NtsKeException(Reason.MALFORMED, sawProtocol ? "two Next Protocol records"
                                : "Next Protocol record without the critical bit");
                    }
                    if (bodyLength == 0) {
                        throw new NtsKeException(Reason.NO_NTPV4, "the server accepts none of the offered protocols");
                    }
                    if (bodyLength != 2) {
                        throw new NtsKeException(Reason.MALFORMED, "Next Protocol record of " + bodyLength + " bytes");
                    }
                    if (u16(message, body) != PROTOCOL_NTPV4) {
                        throw new NtsKeException(Reason.NO_NTPV4, "it chose protocol " + u16(message, body));
                    }
                    sawProtocol = true;
                }
                case ERROR -> {
                    if (bodyLength != 2) {
                        throw new NtsKeException(Reason.MALFORMED, "Error record of " + bodyLength + " bytes");
                    }
                    int code = u16(message, body);
                    throw new NtsKeException(Reason.SERVER_ERROR, "error " + code
                            + (code < ERROR_CODES.length ? " (" + ERROR_CODES[code] + ")" : ""));
                }
                case WARNING -> {
                    if (bodyLength != 2) {
                        throw new NtsKeException(Reason.MALFORMED, "Warning record of " + bodyLength + " bytes");
                    }
                    throw new NtsKeException(Reason.SERVER_WARNING, "warning " + u16(message, body) + " (unrecognised)");
                }
                case AEAD_ALGORITHM -> {
                    if (sawAead) {
                        throw new NtsKeException(Reason.MALFORMED, "two AEAD Algorithm records");
                    }
                    if (bodyLength == 0) {
                        throw new NtsKeException(Reason.NO_AEAD, "the server accepts none of the offered algorithms");
                    }
                    if (bodyLength != 2) {
                        throw new NtsKeException(Reason.MALFORMED, "AEAD Algorithm record of " + bodyLength + " bytes");
                    }
                    if (u16(message, body) != AesSivCmac256.ID) {
                        throw new NtsKeException(Reason.NO_AEAD, "it chose algorithm " + u16(message, body));
                    }
                    sawAead = true;
                }
                case NEW_COOKIE -> {
                    if (bodyLength == 0 || bodyLength > MAX_COOKIE_LENGTH) {
                        throw new NtsKeException(Reason.MALFORMED, "cookie of " + bodyLength + " bytes (1 to "
                                + MAX_COOKIE_LENGTH + " accepted)");
                    }
                    if (cookies.size() < MAX_COOKIES) {
                        cookies.add(Arrays.copyOfRange(message, body, end));
                    }
                }
                case NTPV4_SERVER -> {
                    if (server != null) {
                        throw new NtsKeException(Reason.MALFORMED, "two NTPv4 Server records");
                    }
                    server = serverName(message, body, bodyLength);
                }
                case NTPV4_PORT -> {
                    if (port != 0) {
                        throw new NtsKeException(Reason.MALFORMED, "two NTPv4 Port records");
                    }
                    if (bodyLength != 2 || u16(message, body) == 0) {
                        throw new NtsKeException(Reason.MALFORMED, "NTPv4 Port record is not a port from 1 to 65535");
                    }
                    port = u16(message, body);
                }
                default -> {
                    if (critical) {
                        throw new NtsKeException(Reason.UNRECOGNIZED_CRITICAL_RECORD, "record type " + type);
                    }
                    // Non-critical records we do not know are ignored (RFC 8915 §4).
                }
            }
            offset = end;
        }
    }

    private static String serverName(byte[] message, int body, int length) throws NtsKeException {
        if (length == 0 || length > MAX_SERVER_NAME) {
            throw new NtsKeException(Reason.BAD_SERVER, "name of " + length + " bytes");
        }
        for (int i = body; i < body + length; i++) {
            if (message[i] <= 0x20 || message[i] >= 0x7F) {
                throw new NtsKeException(Reason.BAD_SERVER, "not printable ASCII");
            }
        }
        String name = new String(message, body, length, StandardCharsets.US_ASCII);
        try {
            return new ServerAddress(name, ServerAddress.NTP_PORT).host();
        } catch (IllegalArgumentException e) {
            throw new NtsKeException(Reason.BAD_SERVER, e.getMessage());
        }
    }

    private static int u16(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }
}
