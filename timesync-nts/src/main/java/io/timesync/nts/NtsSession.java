package io.timesync.nts;

import io.timesync.time.ServerAddress;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The state key establishment leaves with one NTS server, reused across probes within its life:
 * the two AEAD keys, the NTP server to ask, and a jar of at most 8 cookies, each used once (a
 * request takes one; an authenticated reply brings fresh ones). A NAK from the server ends the
 * session: the next probe runs key establishment again.
 *
 * <p>Thread-safe.
 */
public final class NtsSession {

    /** Cookies kept (RFC 8915 §4.1.6 suggests a server send 8). */
    public static final int JAR_SIZE = NtsKeRecords.MAX_COOKIES;

    private final ServerAddress keServer;
    private final InetSocketAddress target;
    private final byte[] c2sKey;
    private final byte[] s2cKey;
    private final AesSivCmac256 c2s;
    private final AesSivCmac256 s2c;
    private final long establishedUnixNanos;
    private final ArrayDeque<byte[]> cookies = new ArrayDeque<>(JAR_SIZE);
    private boolean rejected;

    /**
     * @param keServer             the NTS-KE server as the user named it
     * @param target               the NTP server's resolved address and port
     * @param c2sKey               the client-to-server key
     * @param s2cKey               the server-to-client key
     * @param cookies              the cookies to start with (at most {@link #JAR_SIZE} are kept)
     * @param establishedUnixNanos when key establishment completed (wall clock)
     */
    public NtsSession(ServerAddress keServer, InetSocketAddress target, byte[] c2sKey, byte[] s2cKey,
                      List<byte[]> cookies, long establishedUnixNanos) {
        this.keServer = Objects.requireNonNull(keServer, "keServer");
        this.target = Objects.requireNonNull(target, "target");
        this.c2sKey = c2sKey.clone();
        this.s2cKey = s2cKey.clone();
        this.c2s = new AesSivCmac256(c2sKey);
        this.s2c = new AesSivCmac256(s2cKey);
        this.establishedUnixNanos = establishedUnixNanos;
        for (byte[] cookie : cookies) {
            addCookie(cookie);
        }
    }

    /** The NTS-KE server this session came from. */
    public ServerAddress keServer() {
        return keServer;
    }

    /** Where NTP requests go. */
    public InetSocketAddress target() {
        return target;
    }

    /** When key establishment completed (Unix nanoseconds). */
    public long establishedUnixNanos() {
        return establishedUnixNanos;
    }

    AesSivCmac256 c2s() {
        return c2s;
    }

    AesSivCmac256 s2c() {
        return s2c;
    }

    byte[] c2sKey() {
        return c2sKey.clone();
    }

    byte[] s2cKey() {
        return s2cKey.clone();
    }

    /** Takes the oldest cookie out of the jar (it must not be sent twice), or null when the jar is empty. */
    public synchronized byte[] takeCookie() {
        return cookies.pollFirst();
    }

    /** Puts a fresh cookie in the jar, unless it is full. */
    public synchronized void addCookie(byte[] cookie) {
        if (cookies.size() < JAR_SIZE && !rejected) {
            cookies.addLast(cookie);
        }
    }

    /** Cookies left. */
    public synchronized int cookieCount() {
        return cookies.size();
    }

    /** A copy of the cookies in the jar, oldest first (for persisting). */
    synchronized List<byte[]> cookies() {
        return new ArrayList<>(cookies);
    }

    /** The server sent an NTS NAK: it no longer accepts our cookies. The jar is emptied. */
    public synchronized void reject() {
        rejected = true;
        cookies.clear();
    }

    /** Whether the server rejected this session's cookies. */
    public synchronized boolean rejected() {
        return rejected;
    }

    /** Whether a probe at {@code nowUnixNanos} can still use this session. */
    public synchronized boolean usable(long nowUnixNanos, long lifetimeNanos) {
        long age = nowUnixNanos - establishedUnixNanos;
        return !rejected && !cookies.isEmpty() && age >= 0 && age < lifetimeNanos;
    }
}
