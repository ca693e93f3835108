package io.timesync.nts;

import java.util.Locale;
import java.util.Objects;

/**
 * NTS key establishment failed, with a typed {@link Reason} and a message that names what was wrong
 * and what to do. Nothing from a failed exchange is used.
 */
public final class NtsKeException extends Exception {

    /** Why key establishment failed. */
    public enum Reason {
        /** The TCP connection could not be made. */
        CONNECT("cannot connect to the NTS-KE server"),
        /** The server did not complete the exchange in time. */
        TIMEOUT("the NTS-KE server did not answer in time"),
        /** The server does not speak TLS 1.3, the only version NTS allows (RFC 8915 §3). */
        TLS_VERSION("the server does not speak TLS 1.3, which NTS requires"),
        /** The server did not agree to the ALPN protocol {@code ntske/1}: not an NTS-KE server. */
        NO_ALPN("the server did not negotiate ALPN 'ntske/1' (not an NTS-KE server?)"),
        /** The certificate chain does not lead to a trusted CA. */
        UNTRUSTED_CERTIFICATE("the server's certificate is not trusted"),
        /** The certificate is valid but not for the name we connected to. */
        HOST_MISMATCH("the server's certificate does not match the host name"),
        /** Any other TLS failure. */
        TLS("TLS handshake failed"),
        /** The server sent an Error record. */
        SERVER_ERROR("the NTS-KE server refused the request"),
        /** The server sent a Warning record; none is defined, so any is treated as an error (RFC 8915 §4.1.4). */
        SERVER_WARNING("the NTS-KE server sent a warning"),
        /** A record with the critical bit set that this client does not know. */
        UNRECOGNIZED_CRITICAL_RECORD("the NTS-KE server sent an unrecognised critical record"),
        /** Records that do not follow RFC 8915 §4 (lengths, duplicates, missing end of message...). */
        MALFORMED("malformed NTS-KE response"),
        /** The response exceeds this client's limits. */
        TOO_LARGE("NTS-KE response too large"),
        /** The server does not offer NTPv4 as the next protocol. */
        NO_NTPV4("the NTS-KE server does not offer NTPv4"),
        /** The server does not accept AEAD_AES_SIV_CMAC_256. */
        NO_AEAD("the NTS-KE server does not offer AEAD_AES_SIV_CMAC_256"),
        /** The response carries no cookie. */
        NO_COOKIES("the NTS-KE server sent no cookie"),
        /** The negotiated NTP server is not a valid host name or address. */
        BAD_SERVER("the NTS-KE server named an invalid NTP server");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        /** A short explanation, for messages. */
        public String description() {
            return description;
        }

        /** The stable name in brackets that an NTS measurement's error carries, for scripts: {@code [connect]}. */
        public String tag() {
            return "[" + name().toLowerCase(Locale.ROOT) + "]";
        }
    }

    private final Reason reason;
    private final String detail;

    /** @param detail what exactly was found (appended to the reason's description) */
    public NtsKeException(Reason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason").description() + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.reason = reason;
        this.detail = detail;
    }

    /** @param cause the underlying TLS or I/O failure */
    public NtsKeException(Reason reason, String detail, Throwable cause) {
        this(reason, detail);
        initCause(cause);
    }

    /** What exactly was found, without the reason's description; may be null. */
    String detail() {
        return detail;
    }

    /** The typed reason. */
    public Reason reason() {
        return reason;
    }
}
