package io.timesync.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP responder on loopback that answers each request with whatever its script returns, for the
 * behaviours a real chronyd will not show (Kiss-o'-Death, forged and malformed replies). The
 * script gets the request and a send function, so it can answer from another socket, answer twice
 * or stay silent. Stops on {@link #close()}.
 */
public final class ScriptedNtpServer implements AutoCloseable {

    /** What to do with one request. */
    @FunctionalInterface
    public interface Script {
        /** Handle request number {@code index} (from 0). */
        void answer(int index, byte[] request, InetSocketAddress client, DatagramSocket socket) throws IOException;
    }

    private final DatagramSocket socket;
    private final Thread thread;
    private final AtomicInteger requests = new AtomicInteger();

    /** Starts answering on {@code address} at a free port. */
    public ScriptedNtpServer(InetAddress address, Script script) throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(address, 0));
        thread = new Thread(() -> serve(script), "scripted-ntp-server");
        thread.setDaemon(true);
        thread.start();
    }

    /** The port it listens on. */
    public int port() {
        return socket.getLocalPort();
    }

    /** How many requests it has received. */
    public int requests() {
        return requests.get();
    }

    private void serve(Script script) {
        byte[] buffer = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(in);
                script.answer(requests.getAndIncrement(), Arrays.copyOf(buffer, in.getLength()),
                        (InetSocketAddress) in.getSocketAddress(), socket);
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * A well-formed server reply to {@code request}: stratum 2, origin = the request's transmit
     * timestamp, T2 = T3 = {@code serverTime} (raw NTP), LI 0.
     */
    public static ByteBuffer reply(byte[] request, long serverTime) {
        return reply(request, serverTime, 2, 0x100, 0x100);
    }

    /**
     * A reply like {@link #reply(byte[], long)} with the stratum, root delay and root dispersion
     * given (the last two raw, NTP short format: seconds in the high 16 bits, 0xFFFF0000 is 65535 s).
     */
    public static ByteBuffer reply(byte[] request, long serverTime, int stratum, int rootDelay, int rootDispersion) {
        ByteBuffer b = ByteBuffer.allocate(48);
        b.put((byte) 0x24).put((byte) stratum).put((byte) 6).put((byte) -20);
        b.putInt(rootDelay).putInt(rootDispersion).putInt(0x7F000001);
        b.putLong(serverTime);
        b.putLong(ByteBuffer.wrap(request, 40, 8).getLong());
        b.putLong(serverTime);
        b.putLong(serverTime);
        return b;
    }

    /** Sends {@code reply} to {@code client} from {@code socket}. */
    public static void send(DatagramSocket socket, ByteBuffer reply, InetSocketAddress client) throws IOException {
        socket.send(new DatagramPacket(reply.array(), reply.limit(), client));
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2_000);
    }
}
