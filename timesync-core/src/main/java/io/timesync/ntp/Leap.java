package io.timesync.ntp;

/** The leap indicator of an NTP header (RFC 5905 §7.3). */
public enum Leap {
    /** No leap second pending. */
    NONE,
    /** The last minute of the day has 61 seconds. */
    ADD_SECOND,
    /** The last minute of the day has 59 seconds. */
    DELETE_SECOND,
    /** The server's clock is not synchronised; its time must not be used. */
    UNSYNCHRONIZED;

    private static final Leap[] BY_CODE = values();

    /** The indicator for the two-bit code on the wire. */
    public static Leap of(int code) {
        return BY_CODE[code & 0b11];
    }

    /** The two-bit code on the wire. */
    public int code() {
        return ordinal();
    }
}
