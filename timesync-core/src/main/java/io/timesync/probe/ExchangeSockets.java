package io.timesync.probe;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Opens the sockets of {@link UdpProbe}'s exchanges. On Java 17-21, the JDK's own; the class of the
 * same name under {@code META-INF/versions/22} opens sockets with kernel receive timestamps where
 * the OS and the JVM allow it.
 */
final class ExchangeSockets {

    private ExchangeSockets() {
    }

    /** A socket connected to {@code target}. */
    static ExchangeSocket open(InetSocketAddress target) throws IOException {
        return new ChannelExchangeSocket(target);
    }

    /** Whether {@link #open} gives sockets that {@linkplain ExchangeSocket#stampsReceipts stamp their receipts}. */
    static boolean stampsReceipts() {
        return false;
    }
}
