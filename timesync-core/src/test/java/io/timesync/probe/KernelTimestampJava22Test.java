package io.timesync.probe;

import io.timesync.ntp.NtpPacket;
import io.timesync.ntp.NtpReply;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.ntp.ReplyStatus;
import io.timesync.testing.ChronyExtension;
import io.timesync.testing.Loopback;
import io.timesync.testing.OffsetBound;
import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.Sample;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel receive timestamps against a real chronyd, on the JDK 25 the build runs this class on,
 * with the multi-release jar's Java 22 classes and native access granted (the java22-test execution).
 */
class KernelTimestampJava22Test {

    @RegisterExtension
    static final ChronyExtension CHRONY = new ChronyExtension(7);

    private final ProbeOptions options = ProbeOptions.defaults().withSamples(8).withSpacing(Duration.ofMillis(20));

    @Test
    void runsOnAJvmThatLoadsTheJava22Classes() {
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(22);
        assertThat(ExchangeSockets.stampsReceipts()).as("kernel timestamps on Linux with native access").isTrue();
    }

    @Test
    void theKernelStampsTheRequestAndTheReplyBetweenTheClockReads() throws Exception {
        InetSocketAddress target = new InetSocketAddress(Loopback.ipv4(), CHRONY.server().port());
        TimeSource time = TimeSource.system();
        byte[] request = new byte[NtpPacket.HEADER_LENGTH];
        byte[] reply = new byte[4096];
        try (ExchangeSocket socket = ExchangeSockets.open(target)) {
            // The test compiles against the Java 17 classes, which have no such class.
            assertThat(socket.getClass().getSimpleName()).isEqualTo("KernelTimestampSocket");
            assertThat(socket.stampsReceipts()).isTrue();
            long requestTimestamp = NtpPacket.requestTimestamp(NtpTimestamp.fromUnixNanos(time.wallClockNanos()), 12345);
            NtpPacket.encodeRequest(request, 0, requestTimestamp);
            long before = time.wallClockNanos();
            socket.send(request, NtpPacket.HEADER_LENGTH);
            int length = socket.receive(reply, Duration.ofSeconds(1).toNanos());
            long after = time.wallClockNanos();
            assertThat(length).isEqualTo(NtpPacket.HEADER_LENGTH);
            assertThat(NtpReply.check(reply, 0, length, requestTimestamp)).isEqualTo(ReplyStatus.OK);
            long received = socket.receivedRealtimeNanos();
            assertThat(received).isNotEqualTo(ExchangeSocket.NO_TIMESTAMP).isBetween(before, after);
            // The request left after the clock read before the send, and before the reply came.
            assertThat(socket.sentRealtimeNanos()).isNotEqualTo(ExchangeSocket.NO_TIMESTAMP).isBetween(before, received);
        }
    }

    @Test
    void probesChronyWithKernelTimestampsWithinHalfTheRoundTrip() throws Exception {
        for (InetAddress address : Loopback.hasIpv6() ? new InetAddress[] {Loopback.ipv4(), Loopback.ipv6()}
                : new InetAddress[] {Loopback.ipv4()}) {
            ServerAddress server = new ServerAddress(address.getHostAddress(), CHRONY.server().port());
            Measurement m = new UdpProbe(server, new InetSocketAddress(address, CHRONY.server().port()), options,
                    TimeSource.system(), new SecureRandom()).measure();
            assertThat(m.error()).as(CHRONY.server().log()).isNull();
            assertThat(m.samples()).hasSize(options.samples());
            OffsetBound.assertWithin(m, 0);
            for (Sample s : m.samples()) {
                assertThat(s.delayNanos()).as("%s", s).isPositive();
            }
            assertThat(ExchangeSockets.stampsReceipts()).as("still on the kernel path after probing %s", address).isTrue();
        }
    }

    @Test
    void aPortWhereNothingListensIsPortUnreachable() throws Exception {
        int closed = Loopback.freeUdpPort(false);
        Measurement m = new UdpProbe(new ServerAddress("127.0.0.1", closed), new InetSocketAddress(Loopback.ipv4(), closed),
                options, TimeSource.system(), new SecureRandom()).measure();
        assertThat(m.sent()).isEqualTo(1);
        assertThat(m.error()).isEqualTo("port unreachable: nothing listens on UDP port " + closed + " of 127.0.0.1");
        assertThat(ExchangeSockets.stampsReceipts()).isTrue();
    }
}
