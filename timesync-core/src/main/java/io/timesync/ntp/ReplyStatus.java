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
    TRANSMIT_BEFORE_RECEIVE("transmit timestamp is before receive timestamp (T3 < T2)");

    private final String description;

    ReplyStatus(String description) {
        this.description = description;
    }

    /** What went wrong, for messages. */
    public String description() {
        return description;
    }

    /** Whether the reply may be used. */
    public boolean isOk() {
        return this == OK;
    }
}
