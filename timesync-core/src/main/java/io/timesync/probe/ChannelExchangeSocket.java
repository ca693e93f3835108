package io.timesync.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's UDP socket: a {@link DatagramChannel}, non-blocking for {@link #poll}, blocking with a
 * timeout for {@link #receive}. It has no receive timestamps: the reading thread's wake-up is part
 * of T4.
 *
 * <p>The request and the polled reply pass through direct buffers of the thread's own, allocated
 * before its first T1: with a heap buffer the channel takes a temporary direct one, which each
 * thread's first exchange would allocate between T1 and T4. They are the thread's, not the socket's:
 * a socket serves one exchange, on one thread, and buffers of its own would leave their native
 * memory to a garbage collection after every exchange (a daemon polls every second, the warm-up
 * opens hundreds).
 */
final class ChannelExchangeSocket implements ExchangeSocket {

    private static final int MAX_DATAGRAM = 4096;

    private static final ThreadLocal<ByteBuffer[]> BUFFERS = ThreadLocal.withInitial(
            () -> new ByteBuffer[] {ByteBuffer.allocateDirect(MAX_DATAGRAM), ByteBuffer.allocateDirect(MAX_DATAGRAM)});

    private final DatagramChannel channel;
    private final ByteBuffer out;
    private final ByteBuffer in;
    private final DatagramPacket packet = new DatagramPacket(new byte[0], 0);

    ChannelExchangeSocket(InetSocketAddress target) throws IOException {
        ByteBuffer[] buffers = BUFFERS.get();
        out = buffers[0];
        in = buffers[1];
        channel = DatagramChannel.open();
        try {
            channel.connect(target);
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void send(byte[] buffer, int length) throws IOException {
        out.clear();
        out.put(buffer, 0, length).flip();
        channel.write(out);
    }

    @Override
    public int poll(byte[] buffer) throws IOException {
        if (channel.isBlocking()) {
            channel.configureBlocking(false);
        }
        in.clear();
        if (channel.receive(in) == null) {
            return NONE;
        }
        int length = Math.min(in.position(), buffer.length);
        in.get(0, buffer, 0, length);
        return length;
    }

    @Override
    public int receive(byte[] buffer, long timeoutNanos) throws IOException {
        if (!channel.isBlocking()) {
            channel.configureBlocking(true);
        }
        channel.socket().setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
        packet.setData(buffer);
        try {
            channel.socket().receive(packet);
        } catch (SocketTimeoutException e) {
            return NONE;
        }
        return packet.getLength();
    }

    @Override
    public boolean stampsReceipts() {
        return false;
    }

    @Override
    public long receivedRealtimeNanos() {
        return NO_TIMESTAMP;
    }

    @Override
    public long sentRealtimeNanos() {
        return NO_TIMESTAMP;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
