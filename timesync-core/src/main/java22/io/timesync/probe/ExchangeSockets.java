package io.timesync.probe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Opens the sockets of {@link UdpProbe}'s exchanges: on Java 22 and later, sockets whose datagrams
 * the kernel stamps ({@link KernelTimestampSocket}) where the OS and the JVM allow it, else the
 * JDK's own ({@link ChannelExchangeSocket}), as on Java 17. The first failure of the native path
 * turns it off for the JVM, logged once at debug.
 */
final class ExchangeSockets {

    private static final Logger log = LoggerFactory.getLogger(ExchangeSockets.class);
    private static volatile boolean stamping = stampingAvailable();

    private ExchangeSockets() {
    }

    private static boolean stampingAvailable() {
        try {
            boolean available = KernelTimestampSocket.available();
            if (available) {
                log.debug("kernel send and receive timestamps on");
            }
            return available;
        } catch (LinkageError e) {
            // A JVM whose FFM API cannot even load the class: the JDK's sockets, as on Java 17.
            log.debug("kernel receive timestamps unavailable: {}", e.toString());
            return false;
        }
    }

    /** A socket connected to {@code target}. */
    static ExchangeSocket open(InetSocketAddress target) throws IOException {
        if (stamping) {
            try {
                return KernelTimestampSocket.open(target);
            } catch (KernelTimestampSocket.Unavailable | RuntimeException | LinkageError e) {
                stamping = false;
                log.debug("kernel receive timestamps off, using the JDK's sockets: {}", e.toString());
            }
        }
        return new ChannelExchangeSocket(target);
    }

    /** Whether {@link #open} gives sockets that {@linkplain ExchangeSocket#stampsReceipts stamp their receipts}. */
    static boolean stampsReceipts() {
        return stamping;
    }
}
