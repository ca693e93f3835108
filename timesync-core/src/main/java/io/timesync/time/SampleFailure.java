package io.timesync.time;

import io.timesync.ntp.KissCode;
import io.timesync.ntp.ReplyStatus;

/**
 * A request that produced no usable sample, and why.
 *
 * @param kind     the class of failure
 * @param status   for {@link Kind#BAD_REPLY} and {@link Kind#KISS_OF_DEATH}: what the codec found; else null
 * @param kissCode for {@link Kind#KISS_OF_DEATH}: the decoded code; else null
 * @param detail   a human-readable explanation
 */
public record SampleFailure(Kind kind, ReplyStatus status, KissCode kissCode, String detail) {

    /** Classes of failure. */
    public enum Kind {
        /** No valid reply within the timeout (replies that failed the origin check are ignored until then). */
        TIMEOUT,
        /** The server sent a Kiss-o'-Death. */
        KISS_OF_DEATH,
        /** The server's reply failed validation (unsynchronised, bad stratum, malformed...). */
        BAD_REPLY,
        /**
         * The server's host answered that nothing listens on the port (ICMP port unreachable): like
         * a Kiss-o'-Death, it ends the probing of that address at once.
         */
        PORT_UNREACHABLE,
        /** The request could not be sent (no route, socket error...). */
        NETWORK
    }

    /** A timeout. */
    public static SampleFailure timeout(String detail) {
        return new SampleFailure(Kind.TIMEOUT, null, null, detail);
    }

    /** A Kiss-o'-Death with its code. */
    public static SampleFailure kiss(KissCode code, String text) {
        return new SampleFailure(Kind.KISS_OF_DEATH, ReplyStatus.KISS_OF_DEATH, code,
                "Kiss-o'-Death " + text + " (" + code.meaning() + ")");
    }

    /** A reply rejected by validation. */
    public static SampleFailure badReply(ReplyStatus status) {
        return new SampleFailure(Kind.BAD_REPLY, status, null, "bogus reply: " + status.description());
    }

    /** ICMP port unreachable from {@code address} for {@code port}. */
    public static SampleFailure portUnreachable(String address, int port) {
        return new SampleFailure(Kind.PORT_UNREACHABLE, null, null,
                "port unreachable: nothing listens on UDP port " + port + " of " + address);
    }

    /** Whether this failure ends the probing of the address: a kiss, or a port nobody listens on. */
    public boolean endsProbe() {
        return kind == Kind.KISS_OF_DEATH || kind == Kind.PORT_UNREACHABLE;
    }

    /** A local network error. */
    public static SampleFailure network(String detail) {
        return new SampleFailure(Kind.NETWORK, null, null, detail);
    }
}
