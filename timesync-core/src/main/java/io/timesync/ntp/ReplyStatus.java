package io.timesync.ntp;

/**
 * The outcome of decoding and checking a server reply. Returned, never thrown, so that a flood of
 * bad packets costs no more than good ones. Only {@link #OK} replies may be used for timekeeping.
 */
public enum ReplyStatus {
    /** Well-formed, answers our request, and carries usable time. */
    OK("valid reply"),
    /** Shorter than the 48-byte header. */
    TOO_SHORT("shorter than the 48-byte NTP header"),
    /** Extension fields or MAC after the header do not add up (RFC 7822 lengths). */
    MALFORMED_EXTENSION("malformed extension field or MAC after the header"),
    /** Version other than 3 or 4. */
    UNSUPPORTED_VERSION("unsupported NTP version"),
    /** Not a server-mode (4) packet. */
    WRONG_MODE("not a server-mode reply"),
    /** The origin timestamp is not the transmit timestamp of our request: spoofed or stale. */
    ORIGIN_MISMATCH("origin timestamp does not match our request (spoofed or stale reply)"),
    /** The transmit timestamp is zero. */
    ZERO_TRANSMIT("transmit timestamp is zero"),
    /** Stratum 0: a Kiss-o'-Death; the code is in the reference id. */
    KISS_OF_DEATH("Kiss-o'-Death"),
    /** Leap indicator 3: the server is not synchronised. */
    UNSYNCHRONIZED("server is unsynchronised (leap indicator 3)"),
    /** Stratum above 15. */
    STRATUM_TOO_HIGH("stratum above 15"),
    /** The receive timestamp is zero. */
    ZERO_RECEIVE("receive timestamp is zero"),
    /** The server claims to have sent the reply before it received the request (T3 before T2). */
    TRANSMIT_BEFORE_RECEIVE("transmit timestamp is before receive timestamp (T3 < T2)"),
    /** NTS (RFC 8915 §5.3): the reply does not echo the request's Unique Identifier extension field. */
    NTS_NO_UNIQUE_IDENTIFIER("NTS reply without the request's unique identifier"),
    /** NTS: the reply's Unique Identifier is not the request's: stale, replayed or forged. */
    NTS_UNIQUE_IDENTIFIER_MISMATCH("NTS reply with another request's unique identifier (replayed or forged)"),
    /** NTS: the reply carries no well-formed NTS Authenticator extension field. */
    NTS_UNAUTHENTICATED("NTS reply without a valid authenticator (unauthenticated)"),
    /** NTS: the authenticator does not verify with the server's key: the reply was altered or forged. */
    NTS_AUTHENTICATION_FAILED("NTS authentication failed (reply altered or forged)");

    private final String description;

    ReplyStatus(String description) {
        this.description = description;
    }

    /** What went wrong, for messages. */
    public String description() {
        return description;
    }

    /**
     * Whether the reply is not (yet) proven to answer our request: it could be forged, stale or
     * replayed, so a probe ignores it and keeps waiting for the genuine one, remembering why.
     */
    public boolean isUnproven() {
        return switch (this) {
            case TOO_SHORT, MALFORMED_EXTENSION, UNSUPPORTED_VERSION, WRONG_MODE, ORIGIN_MISMATCH,
                 NTS_NO_UNIQUE_IDENTIFIER, NTS_UNIQUE_IDENTIFIER_MISMATCH, NTS_UNAUTHENTICATED,
                 NTS_AUTHENTICATION_FAILED -> true;
            default -> false;
        };
    }

    /** Whether the reply may be used. */
    public boolean isOk() {
        return this == OK;
    }
}
