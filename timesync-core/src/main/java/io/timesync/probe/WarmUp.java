package io.timesync.probe;

import io.timesync.ntp.NtpPacket;
import io.timesync.ntp.NtpTimestamp;
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
 * Runs the request path once per JVM against a responder of our own on loopback before any server
 * is measured. The first exchange of a cold JVM spends hundreds of microseconds loading and
 * interpreting classes between reading T1 and reading T4; without this, that shows up as a server's
 * jitter and an asymmetric first offset. No packet leaves the machine.
 *
 * <p>Two parts. First, in this thread, {@link #ROUNDS} requests over the socket {@link ExchangeSockets}
 * gives the real exchanges, each on a socket of its own, answered before it is read, so that the
 * reply is read at once, both by a poll and by a blocking receive: the socket's code is compiled
 * without a thread hand-off per round. Sockets whose datagrams the kernel stamps skip this part.
 * Then {@link UdpProbe}'s own exchanges end to end, answered by a thread, spun for and blocked for,
 * through the reply's checks, the sample and the clock filter.
 */
public final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    // Enough rounds that the socket's code is compiled (C1 compiles a method after 200 calls).
    private static final int ROUNDS = 300;
    private static final int SAMPLES = 8;
    /** The exchanges of {@link UdpProbe} the warm-up runs: {@link #SAMPLES} spun for, as many blocked for. */
    static final int PROBE_EXCHANGES = 2 * SAMPLES;
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static volatile boolean done;
    private static volatile int probeExchangesAnswered;

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
                InetSocketAddress target = (InetSocketAddress) responder.getLocalSocketAddress();
                responder.setSoTimeout((int) TIMEOUT.toMillis());
                // Kernel stamps leave the JVM's code out of T1 and T4, and a JVM without a compiler compiles nothing:
                // the rounds would buy nothing there.
                int answered = ExchangeSockets.stampsReceipts() || interpreted() ? 0 : rounds(responder, target);
                responder.setSoTimeout(0);
                Thread answering = new Thread(() -> answerUntilClosed(responder), "timesync-warm-up");
                answering.setDaemon(true);
                answering.start();
                probeExchangesAnswered = probeExchanges(target);
                log.trace("warm-up done: {} of {} rounds, {} of {} exchanges answered", answered, ROUNDS,
                        probeExchangesAnswered, PROBE_EXCHANGES);
            } catch (IOException e) {
                log.debug("warm-up skipped: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done = true;
        }
    }

    /** Whether the JVM runs without a compiler ({@code -Xint}), as it says in {@code java.vm.info}. */
    private static boolean interpreted() {
        return System.getProperty("java.vm.info", "").startsWith("interpreted mode");
    }

    /** How many of the warm-up's {@link #PROBE_EXCHANGES} were answered (0 before it ran). */
    static int probeExchangesAnswered() {
        return probeExchangesAnswered;
    }

    /** The rounds in this thread: how many replies were read. */
    private static int rounds(DatagramSocket responder, InetSocketAddress target) throws IOException {
        byte[] request = new byte[ExchangeCodec.MAX_REQUEST];
        byte[] reply = new byte[ExchangeCodec.MAX_REQUEST];
        DatagramPacket packet = new DatagramPacket(new byte[NtpPacket.HEADER_LENGTH], NtpPacket.HEADER_LENGTH);
        long timeout = TIMEOUT.toNanos();
        int answered = 0;
        for (int i = 0; i < ROUNDS; i++) {
            try (ExchangeSocket socket = ExchangeSockets.open(target)) {
                // Any timestamp will do: only the code path is being warmed.
                long requestTimestamp = NtpPacket.requestTimestamp(
                        NtpTimestamp.fromUnixNanos(1_800_000_000_000_000_000L + i * 1_000_003L), i);
                socket.send(request, ExchangeCodec.PLAIN.writeRequest(request, requestTimestamp));
                answer(responder, packet);
                // Loopback delivers within the responder's send: the reply is there for either read.
                int length = i % 2 == 0 ? socket.poll(reply) : ExchangeSocket.NONE;
                if (length < 0) {
                    length = socket.receive(reply, timeout);
                }
                if (length > 0 && ExchangeCodec.PLAIN.readReply(reply, length, requestTimestamp).isOk()) {
                    answered++;
                }
            }
        }
        return answered;
    }

    /** {@link UdpProbe}'s exchanges against the answering thread: how many were answered. */
    private static int probeExchanges(InetSocketAddress target) throws InterruptedException {
        ServerAddress server = new ServerAddress(target.getAddress().getHostAddress(), target.getPort());
        ProbeOptions options = new ProbeOptions(SAMPLES, Duration.ZERO, TIMEOUT, 1);
        SplittableRandom random = new SplittableRandom();
        int answered = 0;
        for (long spin : new long[] {UdpProbe.SPIN_NANOS, 0}) {
            Measurement m = new UdpProbe(server, target, options, TimeSource.system(), random, ExchangeCodec.PLAIN, spin)
                    .measure();
            answered += m.samples().size();
        }
        return answered;
    }

    private static void answerUntilClosed(DatagramSocket responder) {
        DatagramPacket packet = new DatagramPacket(new byte[NtpPacket.HEADER_LENGTH], NtpPacket.HEADER_LENGTH);
        try {
            while (true) {
                answer(responder, packet);
            }
        } catch (SocketException e) {
            // Closed: the warm-up is over.
        } catch (IOException e) {
            log.debug("warm-up responder stopped: {}", e.toString());
        }
    }

    /** Answers one request as a stratum-1 server whose clock reads the request's transmit time. */
    private static void answer(DatagramSocket responder, DatagramPacket packet) throws IOException {
        byte[] buffer = packet.getData();
        packet.setLength(buffer.length);
        responder.receive(packet);
        // LI 0, version 4, server mode; stratum 1; origin = receive = transmit = the request's transmit.
        buffer[0] = (byte) ((NtpPacket.VERSION << 3) | NtpPacket.MODE_SERVER);
        buffer[1] = 1;
        System.arraycopy(buffer, 40, buffer, 24, 8);
        System.arraycopy(buffer, 40, buffer, 32, 8);
        responder.send(packet);
    }
}
