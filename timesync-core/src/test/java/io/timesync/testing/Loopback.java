package io.timesync.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;

/** Facts about this host's loopback interface, for tests. */
public final class Loopback {

    private Loopback() {
    }

    /** The IPv4 loopback address. */
    public static InetAddress ipv4() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The IPv6 loopback address. */
    public static InetAddress ipv6() {
        try {
            return InetAddress.getByName("::1");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a UDP socket can bind to ::1 here. */
    public static boolean hasIpv6() {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ipv6(), 0))) {
            return socket.getLocalPort() > 0;
        } catch (SocketException e) {
            return false;
        }
    }

    /** Fails in CI, skips elsewhere, when a UDP socket cannot bind to ::1 here. */
    public static void requireIpv6() {
        if (!hasIpv6()) {
            RequiredTool.missing("this host has no IPv6 loopback (::1); the IPv6 tests need it");
        }
    }

    /** A TCP port free on 127.0.0.1 at the time of the call. */
    public static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(ipv4(), 0));
            return socket.getLocalPort();
        }
    }

    /** A UDP port free on 127.0.0.1 (and ::1 when asked) at the time of the call. */
    public static int freeUdpPort(boolean alsoIpv6) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket v4 = new DatagramSocket(new InetSocketAddress(ipv4(), 0))) {
                int port = v4.getLocalPort();
                if (!alsoIpv6) {
                    return port;
                }
                try (DatagramSocket v6 = new DatagramSocket(new InetSocketAddress(ipv6(), port))) {
                    return port;
                } catch (SocketException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free UDP port found on loopback");
    }
}
