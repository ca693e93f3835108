package io.timesync.probe;

import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.Sample;
import io.timesync.time.SampleFailure;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.ntp.KissCode;
import io.timesync.ntp.Leap;
import io.timesync.ntp.NtpPacket;
import io.timesync.ntp.NtpReply;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.ntp.OnWire;
import io.timesync.ntp.ReferenceId;
import io.timesync.ntp.ReplyStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Plain NTPv4 client exchanges with one server address over UDP: the only place in core that opens
 * sockets. Each request goes out from a fresh socket, so the OS gives it a new random source port
 * (RFC 9109), and only a reply from the address and port it was sent to, echoing its random
 * transmit timestamp, is believed.
 *
 * <p>T1 is a wall-clock reading taken with a monotonic one; T4 is T1 plus the monotonic time that
 * passed, so a clock step during the exchange cannot corrupt the delay. Where the socket has the
 * kernel's send and receive stamps ({@link ExchangeSockets}), checked against those reads, they are
 * T1 and T4. Without them the probe polls for a short while before it blocks, so that a near
 * server's reply is read before the thread sleeps.
 *
 * <p>A Kiss-o'-Death ends the probe of this address at once, whatever its code: RATE asks for less
 * traffic, DENY and RSTR for none. So does an ICMP port unreachable: each socket is connected to the
 * target, so the kernel reports one at once instead of the probe waiting out every timeout.
 */
public final class UdpProbe implements Probe {

    private static final Logger log = LoggerFactory.getLogger(UdpProbe.class);

    // Larger than any reply we accept (NTS replies with 8 cookies are about 1 KB): a datagram that
    // fills it was truncated and is not decoded.
    private static final int RECEIVE_BUFFER = 4096;

    // How long a socket without receive timestamps polls for the reply before it blocks. A reply on
    // loopback or a LAN comes back within it, read without the 50-100 µs a blocked thread takes to
    // wake; a reply from farther away costs the spin and gains nothing. At one exchange a second
    // (ultrafast mode) it is at most 0.02 % of a core per server.
    static final long SPIN_NANOS = 200_000;
    // A poll is a system call of a microsecond or more: this many outlast SPIN_NANOS on any real clock.
    private static final int MAX_SPIN_POLLS = 2_000;

    private final ServerAddress server;
    private final InetSocketAddress target;
    private final ProbeOptions options;
    private final TimeSource time;
    private final RandomGenerator random;
    private final ExchangeCodec codec;
    private final byte[] requestBuffer = new byte[ExchangeCodec.MAX_REQUEST];
    private final byte[] replyBuffer = new byte[RECEIVE_BUFFER];
    private final long spinNanos;

    /**
     * @param server  the server as the user named it (for the result)
     * @param target  the resolved address and port to probe
     * @param options samples, spacing and timeout
     * @param time    the local clocks
     * @param random  the source of request nonces; should be a secure generator outside tests
     */
    public UdpProbe(ServerAddress server, InetSocketAddress target, ProbeOptions options, TimeSource time,
                    RandomGenerator random) {
        this(server, target, options, time, random, ExchangeCodec.PLAIN);
    }

    /**
     * A probe speaking {@code codec} (plain NTPv4 or NTS).
     *
     * @param codec what the requests carry and how replies are checked
     */
    public UdpProbe(ServerAddress server, InetSocketAddress target, ProbeOptions options, TimeSource time,
                    RandomGenerator random, ExchangeCodec codec) {
        this(server, target, options, time, random, codec, SPIN_NANOS);
    }

    /** A probe that polls for each reply for {@code spinNanos} before it blocks (0: blocks at once). */
    UdpProbe(ServerAddress server, InetSocketAddress target, ProbeOptions options, TimeSource time,
             RandomGenerator random, ExchangeCodec codec, long spinNanos) {
        this.server = Objects.requireNonNull(server, "server");
        this.target = Objects.requireNonNull(target, "target");
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("target must be a resolved address: " + target);
        }
        this.options = Objects.requireNonNull(options, "options");
        this.time = Objects.requireNonNull(time, "time");
        this.random = Objects.requireNonNull(random, "random");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.spinNanos = spinNanos;
    }

    @Override
    public String source() {
        return server + " (" + AddressText.of(target.getAddress()) + ")";
    }

    @Override
    public Measurement measure() throws InterruptedException {
        List<Sample> samples = new ArrayList<>(options.samples());
        List<SampleFailure> failures = new ArrayList<>();
        int reach = 0;
        int sent = 0;
        long spacing = options.spacing().toNanos();
        long nextSend = time.monotonicNanos();
        for (int i = 0; i < options.samples(); i++) {
            sleepUntil(nextSend);
            nextSend = time.monotonicNanos() + spacing;
            Object outcome = exchange();
            sent++;
            reach = (reach << 1) & 0xFF;
            if (outcome instanceof Sample sample) {
                samples.add(sample);
                reach |= 1;
            } else {
                SampleFailure failure = (SampleFailure) outcome;
                failures.add(failure);
                log.debug("{}: request {} failed: {}", source(), i + 1, failure.detail());
                if (failure.endsProbe()) {
                    break;
                }
            }
        }
        Estimate estimate = ClockFilter.estimate(samples);
        String error = estimate == null ? summarize(failures, sent) : null;
        return new Measurement(server, AddressText.of(target.getAddress()), target.getPort(), sent, reach,
                samples, failures, estimate, error, codec.authenticates() && estimate != null);
    }

    @Override
    public Measurement failed(String error) {
        return new Measurement(server, AddressText.of(target.getAddress()), target.getPort(), 0, 0, List.of(), List.of(),
                null, error);
    }

    /** One request and its reply: a {@link Sample} or a {@link SampleFailure}. */
    private Object exchange() {
        long timeout = options.timeout().toNanos();
        try (ExchangeSocket socket = ExchangeSockets.open(target)) {
            int nonce = random.nextInt();
            // The transmit timestamp is only a nonce the server echoes (its seconds from the clock, its
            // fraction random), so the request is written (and, for NTS, sealed) first and the clocks
            // are read right before the send: nothing between T1 and the datagram leaving.
            long requestTimestamp = NtpPacket.requestTimestamp(NtpTimestamp.fromUnixNanos(time.wallClockNanos()), nonce);
            int requestLength = codec.writeRequest(requestBuffer, requestTimestamp);
            if (requestLength < 0) {
                return SampleFailure.network(codec.unavailable());
            }
            // Monotonic first: a pause between the two reads (a safepoint, a preemption) then makes T4
            // late, which widens [T1, T4] around the server's timestamps, instead of early, which would
            // push them outside it and bias the offset by the pause.
            long t1Mono = time.monotonicNanos();
            long t1UnixNanos = time.wallClockNanos();
            socket.send(requestBuffer, requestLength);
            long deadline = t1Mono + timeout;
            int length = socket.stampsReceipts() ? ExchangeSocket.NONE : spin(socket);
            int ignored = 0;
            ReplyStatus lastIgnored = null;
            while (true) {
                if (length == ExchangeSocket.NONE) {
                    long remaining = deadline - time.monotonicNanos();
                    if (remaining <= 0) {
                        return noValidReply(ignored, lastIgnored);
                    }
                    length = socket.receive(replyBuffer, remaining);
                    if (length == ExchangeSocket.NONE) {
                        return noValidReply(ignored, lastIgnored);
                    }
                    if (length == ExchangeSocket.AGAIN) {
                        length = ExchangeSocket.NONE;
                        continue;
                    }
                }
                long t4Mono = time.monotonicNanos();
                int replyLength = length;
                length = ExchangeSocket.NONE;
                if (replyLength == replyBuffer.length) {
                    ignored++;
                    log.debug("{}: ignored an oversized datagram", source());
                    continue;
                }
                ReplyStatus status = codec.readReply(replyBuffer, replyLength, requestTimestamp);
                if (status.isUnproven()) {
                    // Not (yet) proven to answer our request: could be forged or stale. Keep waiting.
                    ignored++;
                    lastIgnored = status;
                    log.debug("{}: ignored a reply: {}", source(), status.description());
                    continue;
                }
                if (status == ReplyStatus.KISS_OF_DEATH) {
                    int referenceId = NtpReply.referenceId(replyBuffer, 0);
                    return SampleFailure.kiss(KissCode.of(referenceId), ReferenceId.format(referenceId, 0));
                }
                if (!status.isOk()) {
                    return SampleFailure.badReply(status);
                }
                return sample(t1UnixNanos, t4Mono - t1Mono, socket);
            }
        } catch (PortUnreachableException e) {
            return SampleFailure.portUnreachable(AddressText.of(target.getAddress()), target.getPort());
        } catch (IOException e) {
            return SampleFailure.network("cannot reach " + AddressText.of(target.getAddress()) + ": " + e.getMessage());
        }
    }

    /**
     * Polls for the reply for up to {@link #spinNanos} after the send: on a path this short, a reply
     * read at once has a T4 free of the thread's wake-up from a blocking wait. Each poll yields the
     * CPU, so that a server on this machine (or anything else waiting for the CPU) is not held back
     * by the spin until its time slice ends; on an idle CPU the yield returns at once. The poll count
     * bounds the spin too, so a clock that does not move cannot hold it.
     */
    private int spin(ExchangeSocket socket) throws IOException {
        long until = time.monotonicNanos() + spinNanos;
        for (int polls = 0; polls < MAX_SPIN_POLLS && time.monotonicNanos() < until; polls++) {
            int length = socket.poll(replyBuffer);
            if (length != ExchangeSocket.NONE) {
                return length;
            }
            Thread.yield();
        }
        return ExchangeSocket.NONE;
    }

    /**
     * The sample of a reply that {@link NtpReply#check} accepted, still in {@code replyBuffer}. T1 and
     * T4 are the kernel's stamps where the socket has them on this source's clock, else T1's reads
     * and the monotonic time that passed. The kernel stamps the request after T1's wall read and the
     * reply before {@code monotonicElapsed} was read, in that order: stamps outside that window mean
     * the wall clock was stepped in between, and the reads stand.
     */
    private Sample sample(long t1UnixNanos, long monotonicElapsed, ExchangeSocket socket) {
        long start = t1UnixNanos;
        long elapsed = monotonicElapsed;
        long received = socket.receivedRealtimeNanos();
        if (received != ExchangeSocket.NO_TIMESTAMP && time.readsSystemRealtime()
                && received > t1UnixNanos && received - t1UnixNanos <= monotonicElapsed) {
            long sent = socket.sentRealtimeNanos();
            if (sent != ExchangeSocket.NO_TIMESTAMP && sent >= t1UnixNanos && sent < received) {
                start = sent;
            }
            elapsed = received - start;
        }
        long t1 = NtpTimestamp.fromUnixNanos(start);
        byte[] b = replyBuffer;
        long t2 = NtpReply.receiveTimestamp(b, 0);
        long t3 = NtpReply.transmitTimestamp(b, 0);
        return new Sample(start, t2, t3, start + elapsed, OnWire.offsetNanos(t1, t2, t3, elapsed),
                OnWire.delayNanos(t2, t3, elapsed), NtpReply.stratum(b, 0), Leap.of(NtpReply.leap(b, 0)),
                NtpReply.precision(b, 0), NtpReply.poll(b, 0), NtpTimestamp.shortToNanos(NtpReply.rootDelay(b, 0)),
                NtpTimestamp.shortToNanos(NtpReply.rootDispersion(b, 0)), NtpReply.referenceId(b, 0));
    }

    private SampleFailure noValidReply(int ignored, ReplyStatus lastIgnored) {
        String waited = "no valid reply within " + options.timeout().toMillis() + " ms";
        if (lastIgnored != null) {
            return new SampleFailure(SampleFailure.Kind.BAD_REPLY, lastIgnored, null,
                    waited + "; ignored " + ignored + " bogus " + (ignored == 1 ? "reply" : "replies")
                            + " (last: " + lastIgnored.description() + ")");
        }
        if (ignored > 0) {
            // The socket is connected: the kernel delivers only the server's datagrams, and only
            // oversized ones are ignored without a reply status.
            return SampleFailure.timeout(waited + "; ignored " + ignored + " oversized " + (ignored == 1 ? "datagram" : "datagrams"));
        }
        return SampleFailure.timeout("timeout: " + waited);
    }

    private void sleepUntil(long monotonicDeadline) throws InterruptedException {
        long remaining = monotonicDeadline - time.monotonicNanos();
        if (remaining > 0) {
            TimeUnit.NANOSECONDS.sleep(remaining);
        } else if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private static String summarize(List<SampleFailure> failures, int sent) {
        if (failures.isEmpty()) {
            return "no request sent";
        }
        SampleFailure last = failures.get(failures.size() - 1);
        if (last.endsProbe()) {
            return last.detail();
        }
        if (sent == 1) {
            return last.detail();
        }
        long same = failures.stream().filter(f -> f.detail().equals(last.detail())).count();
        return last.detail() + (same == sent ? " (all " + sent + " requests)" : " (" + failures.size() + " of " + sent + " requests failed)");
    }
}
