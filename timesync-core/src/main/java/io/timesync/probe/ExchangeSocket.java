package io.timesync.probe;

import java.io.Closeable;
import java.io.IOException;

/**
 * A UDP socket connected to one server, as one exchange of {@link UdpProbe} uses it. Connected, so
 * the kernel delivers only the server's datagrams and reports an ICMP port unreachable (as a
 * {@link java.net.PortUnreachableException} from the next call). Opened by {@link ExchangeSockets#open}.
 */
interface ExchangeSocket extends Closeable {

    /** What {@link #receivedRealtimeNanos()} returns when the OS stamped no time on the datagram. */
    long NO_TIMESTAMP = Long.MIN_VALUE;

    /** What {@link #poll} and {@link #receive} return when no datagram was read. */
    int NONE = -1;

    /** What {@link #receive} returns when it woke before the timeout without a datagram: wait again. */
    int AGAIN = -2;

    /** Sends {@code buffer[0..length)} to the server. */
    void send(byte[] buffer, int length) throws IOException;

    /** Reads a waiting datagram into {@code buffer} without blocking: its length, or {@link #NONE}. */
    int poll(byte[] buffer) throws IOException;

    /**
     * Waits up to {@code timeoutNanos} (rounded up to a millisecond) for a datagram and reads it into
     * {@code buffer}: its length, {@link #NONE} when none came in time, or {@link #AGAIN} when it
     * woke for something else (a transmit stamp, a datagram the kernel then dropped).
     */
    int receive(byte[] buffer, long timeoutNanos) throws IOException;

    /**
     * Whether the OS stamps the datagrams this socket receives ({@link #receivedRealtimeNanos()}), so
     * that a reply's T4 does not depend on how soon the reading thread runs (and, where it can, those
     * it sends: {@link #sentRealtimeNanos()}).
     */
    boolean stampsReceipts();

    /** The kernel's {@code CLOCK_REALTIME} reading when the datagram read last arrived, or {@link #NO_TIMESTAMP}. */
    long receivedRealtimeNanos();

    /** The kernel's {@code CLOCK_REALTIME} reading when the datagram sent last left, or {@link #NO_TIMESTAMP}. */
    long sentRealtimeNanos();
}
