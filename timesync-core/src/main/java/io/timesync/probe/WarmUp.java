package io.timesync.probe;

import io.timesync.ntp.NtpPacket;
import io.timesync.ntp.NtpReply;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.ntp.OnWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Runs the request path once per JVM against a socket of our own on loopback before any server is
 * measured. The first exchange of a cold JVM spends hundreds of microseconds loading and
 * interpreting the datagram classes between reading T1 and sending; without this, that shows up as
 * a server's jitter and an asymmetric first offset. No packet leaves the machine.
 */
public final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    private static final int ROUNDS = 300;
    private static volatile boolean done;

    private WarmUp() {
    }

    /** Warms the path once per JVM; later calls return at once. Every network probe calls it before its first exchange. */
    public static void once() {
        if (done) {
            return;
        }
        synchronized (WarmUp.class) {
            if (done) {
                return;
            }
            try (DatagramSocket echo = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 DatagramSocket client = new DatagramSocket()) {
                echo.setSoTimeout(200);
                client.setSoTimeout(200);
                // Connected, as the probes' sockets are.
                client.connect(echo.getLocalSocketAddress());
                byte[] out = new byte[NtpPacket.HEADER_LENGTH];
                byte[] in = new byte[2048];
                DatagramPacket request = new DatagramPacket(out, out.length, echo.getLocalSocketAddress());
                DatagramPacket received = new DatagramPacket(in, in.length);
                long sink = 0;
                for (int i = 0; i < ROUNDS; i++) {
                    // Any timestamp will do: only the code path is being warmed.
                    long t1 = NtpTimestamp.fromUnixNanos(1_800_000_000_000_000_000L + i * 1_000_003L);
                    NtpPacket.encodeRequest(out, 0, NtpPacket.requestTimestamp(t1, i));
                    client.send(request);
                    received.setLength(in.length);
                    echo.receive(received);
                    echo.send(new DatagramPacket(in, received.getLength(), received.getSocketAddress()));
                    received.setLength(in.length);
                    client.receive(received);
                    NtpReply.check(in, 0, received.getLength(), t1);
                    sink += OnWire.offsetNanos(t1, NtpReply.receiveTimestamp(in, 0), NtpReply.transmitTimestamp(in, 0), i);
                }
                log.trace("warm-up done ({})", sink);
            } catch (IOException e) {
                log.debug("warm-up skipped: {}", e.toString());
            }
            done = true;
        }
    }
}
