package io.timesync.probe;

import io.timesync.ntp.NtpPacket;
import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Runs real exchanges once per JVM against a responder of our own on loopback before any server is
 * measured. The first exchange of a cold JVM spends hundreds of microseconds loading and
 * interpreting classes between reading T1 and reading T4; without this, that shows up as a server's
 * jitter and an asymmetric first offset. The exchanges are {@link UdpProbe}'s own, over the socket
 * {@link ExchangeSockets} gives the real ones, through the reply's checks, the sample and the clock
 * filter, both with the reply caught by the spin and with the thread blocked for it. No packet
 * leaves the machine.
 */
public final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    // Enough exchanges that the request path is compiled (C1 compiles a method after 200 calls).
    private static final int MEASUREMENTS = 5;
    private static final int SAMPLES = 64;
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    static final int EXCHANGES = MEASUREMENTS * SAMPLES;
    private static volatile boolean done;
    private static volatile int answered;

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
            try (DatagramSocket responder = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                Thread answering = new Thread(() -> answer(responder), "timesync-warm-up");
                answering.setDaemon(true);
                answering.start();
                InetSocketAddress target = (InetSocketAddress) responder.getLocalSocketAddress();
                ServerAddress server = new ServerAddress(target.getAddress().getHostAddress(), target.getPort());
                ProbeOptions options = new ProbeOptions(SAMPLES, Duration.ZERO, TIMEOUT, 1);
                SplittableRandom random = new SplittableRandom();
                int replies = 0;
                for (int i = 0; i < MEASUREMENTS; i++) {
                    // Every other run blocks at once, so that the blocking receive is warm too.
                    long spin = i % 2 == 0 ? UdpProbe.SPIN_NANOS : 0;
                    Measurement m = new UdpProbe(server, target, options, TimeSource.system(), random,
                            ExchangeCodec.PLAIN, spin).measure();
                    replies += m.samples().size();
                }
                answered = replies;
                log.trace("warm-up done: {} of {} exchanges answered", replies, EXCHANGES);
            } catch (IOException e) {
                log.debug("warm-up skipped: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done = true;
        }
    }

    /** How many of the warm-up's {@link #EXCHANGES} exchanges were answered (0 before it ran). */
    static int answered() {
        return answered;
    }

    /** Answers each request as a stratum-1 server whose clock reads the request's transmit time, until the socket closes. */
    private static void answer(DatagramSocket responder) {
        byte[] buffer = new byte[NtpPacket.HEADER_LENGTH];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            while (true) {
                packet.setLength(buffer.length);
                responder.receive(packet);
                // LI 0, version 4, server mode; stratum 1; origin = receive = transmit = the request's transmit.
                buffer[0] = (byte) ((NtpPacket.VERSION << 3) | NtpPacket.MODE_SERVER);
                buffer[1] = 1;
                System.arraycopy(buffer, 40, buffer, 24, 8);
                System.arraycopy(buffer, 40, buffer, 32, 8);
                responder.send(packet);
            }
        } catch (SocketException e) {
            // Closed: the warm-up is over.
        } catch (IOException e) {
            log.debug("warm-up responder stopped: {}", e.toString());
        }
    }
}
