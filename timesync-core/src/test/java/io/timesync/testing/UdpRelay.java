package io.timesync.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An on-path attacker on loopback: forwards requests to a real server and passes each reply
 * through a function that may alter it (flip a bit, replay an earlier one). Stops when closed.
 */
public final class UdpRelay implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress upstream;
    private final UnaryOperator<byte[]> onReply;
    private final Thread thread;
    private final AtomicInteger replies = new AtomicInteger();
    private volatile InetSocketAddress client;
    private volatile boolean running = true;

    public UdpRelay(InetSocketAddress upstream, UnaryOperator<byte[]> onReply) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(Loopback.ipv4(), 0));
        this.socket.setSoTimeout(100);
        this.upstream = upstream;
        this.onReply = onReply;
        this.thread = new Thread(this::run, "udp-relay");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Where clients send. */
    public InetSocketAddress address() {
        return new InetSocketAddress(Loopback.ipv4(), socket.getLocalPort());
    }

    /** Replies relayed so far. */
    public int replies() {
        return replies.get();
    }

    private void run() {
        byte[] buffer = new byte[4096];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
                byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
                if (from.equals(upstream)) {
                    if (client != null) {
                        byte[] altered = onReply.apply(data);
                        if (altered != null) {
                            socket.send(new DatagramPacket(altered, altered.length, client));
                            replies.incrementAndGet();
                        }
                    }
                } else {
                    client = from;
                    socket.send(new DatagramPacket(data, data.length, upstream));
                }
            } catch (SocketTimeoutException e) {
                // check running
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
