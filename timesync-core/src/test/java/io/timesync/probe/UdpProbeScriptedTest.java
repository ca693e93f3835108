package io.timesync.probe;

import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.SampleFailure;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.ntp.KissCode;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.ntp.ReplyStatus;
import io.timesync.testing.Loopback;
import io.timesync.testing.OffsetBound;
import io.timesync.testing.ScriptedNtpServer;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe against scripted responders for what chronyd will not do: kisses, forged and
 * unsynchronised replies. The replies are real UDP on loopback.
 */
class UdpProbeScriptedTest {

    private static final ProbeOptions FAST = ProbeOptions.defaults().withSpacing(Duration.ofMillis(10))
            .withTimeout(Duration.ofMillis(400));

    private static Measurement probe(ScriptedNtpServer server, ProbeOptions options) throws InterruptedException {
        return new UdpProbe(new ServerAddress("127.0.0.1", server.port()),
                new InetSocketAddress(Loopback.ipv4(), server.port()), options, TimeSource.system(), new SecureRandom()).measure();
    }

    private static long now() {
        return NtpTimestamp.fromUnixNanos(TimeSource.system().wallClockNanos());
    }

    @Test
    void kissOfDeathStopsTheProbeAndIsDecoded() throws Exception {
        try (ScriptedNtpServer server = new ScriptedNtpServer(Loopback.ipv4(), (i, request, client, socket) -> {
            ByteBuffer kiss = ScriptedNtpServer.reply(request, now());
            kiss.put(0, (byte) 0xE4).put(1, (byte) 0).putInt(12, 0x52415445);
            ScriptedNtpServer.send(socket, kiss, client);
        })) {
            Measurement m = probe(server, FAST);
            assertThat(m.sent()).isEqualTo(1);
            assertThat(server.requests()).isEqualTo(1);
            assertThat(m.failures()).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(SampleFailure.Kind.KISS_OF_DEATH);
                assertThat(f.kissCode()).isEqualTo(KissCode.RATE);
            });
            assertThat(m.error()).contains("Kiss-o'-Death RATE");
        }
    }

    @Test
    void forgedRepliesAreIgnoredAndTheGenuineOneIsTaken() throws Exception {
        long offset = 5_000_000_000L;
        try (DatagramSocket forger = new DatagramSocket(new InetSocketAddress(Loopback.ipv4(), 0));
             ScriptedNtpServer server = new ScriptedNtpServer(Loopback.ipv4(), (i, request, client, socket) -> {
                 long serverTime = NtpTimestamp.fromUnixNanos(TimeSource.system().wallClockNanos() + offset);
                 // From the wrong port, then with the wrong origin, then the real answer.
                 ScriptedNtpServer.send(forger, ScriptedNtpServer.reply(request, serverTime - (1L << 40)), client);
                 ByteBuffer wrongOrigin = ScriptedNtpServer.reply(request, serverTime - (1L << 40));
                 wrongOrigin.putLong(24, wrongOrigin.getLong(24) ^ 1);
                 ScriptedNtpServer.send(socket, wrongOrigin, client);
                 ScriptedNtpServer.send(socket, ScriptedNtpServer.reply(request, serverTime), client);
             })) {
            Measurement m = probe(server, FAST.withSamples(2));
            assertThat(m.failures()).isEmpty();
            assertThat(m.samples()).hasSize(2);
            OffsetBound.assertWithin(m, offset);
        }
    }

    @Test
    void onlyForgedRepliesEndAsABogusReplyWithTheReason() throws Exception {
        try (ScriptedNtpServer server = new ScriptedNtpServer(Loopback.ipv4(), (i, request, client, socket) -> {
            ByteBuffer stale = ScriptedNtpServer.reply(request, now());
            stale.putLong(24, 0x1234L);
            ScriptedNtpServer.send(socket, stale, client);
        })) {
            Measurement m = probe(server, FAST.withSamples(1));
            assertThat(m.answered()).isFalse();
            assertThat(m.failures()).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(SampleFailure.Kind.BAD_REPLY);
                assertThat(f.status()).isEqualTo(ReplyStatus.ORIGIN_MISMATCH);
            });
            assertThat(m.error()).contains("ignored 1 bogus reply").contains("origin timestamp does not match");
        }
    }

    @Test
    void unsynchronisedServerIsABadReply() throws Exception {
        try (ScriptedNtpServer server = new ScriptedNtpServer(Loopback.ipv4(), (i, request, client, socket) -> {
            ByteBuffer reply = ScriptedNtpServer.reply(request, now());
            reply.put(0, (byte) 0xE4);
            ScriptedNtpServer.send(socket, reply, client);
        })) {
            Measurement m = probe(server, FAST.withSamples(2));
            assertThat(m.sent()).isEqualTo(2);
            assertThat(m.failures()).extracting(SampleFailure::status)
                    .containsExactly(ReplyStatus.UNSYNCHRONIZED, ReplyStatus.UNSYNCHRONIZED);
            assertThat(m.error()).isEqualTo("bogus reply: server is unsynchronised (leap indicator 3) (all 2 requests)");
        }
    }

    @Test
    void reachRegisterRecordsWhichRequestsWereAnswered() throws Exception {
        try (ScriptedNtpServer server = new ScriptedNtpServer(Loopback.ipv4(), (i, request, client, socket) -> {
            if (i % 2 == 0) {
                ScriptedNtpServer.send(socket, ScriptedNtpServer.reply(request, now()), client);
            }
        })) {
            Measurement m = probe(server, FAST.withSamples(4).withTimeout(Duration.ofMillis(200)));
            assertThat(m.reach()).isEqualTo(0b1010);
            assertThat(m.samples()).hasSize(2);
            assertThat(m.failures()).hasSize(2);
            assertThat(m.error()).isNull();
        }
    }

    @Test
    void eachRequestUsesAFreshSourcePortAndARandomTransmitTimestamp() throws Exception {
        ConcurrentLinkedQueue<Integer> ports = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> fractions = new ConcurrentLinkedQueue<>();
        try (ScriptedNtpServer server = new ScriptedNtpServer(Loopback.ipv4(), (i, request, client, socket) -> {
            ports.add(client.getPort());
            fractions.add(NtpTimestamp.fraction(ByteBuffer.wrap(request, 40, 8).getLong()));
            ScriptedNtpServer.send(socket, ScriptedNtpServer.reply(request, now()), client);
        })) {
            probe(server, FAST.withSamples(6));
        }
        Set<Integer> distinctPorts = new HashSet<>(ports);
        assertThat(ports).hasSize(6);
        // The kernel picks ephemeral ports at random; two of six may collide by chance, rarely more.
        assertThat(distinctPorts).hasSizeGreaterThanOrEqualTo(4);
        assertThat(new HashSet<>(fractions)).hasSize(6);
    }

    @Test
    void manyServersAreProbedConcurrently() throws Exception {
        List<ScriptedNtpServer> silent = new ArrayList<>();
        List<ServerAddress> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                ScriptedNtpServer s = new ScriptedNtpServer(Loopback.ipv4(), (n, request, client, socket) -> { });
                silent.add(s);
                servers.add(new ServerAddress("127.0.0.1", s.port()));
            }
            ProbeOptions options = FAST.withSamples(2).withTimeout(Duration.ofMillis(500));
            ProbeRunner runner = new ProbeRunner(options, TimeSource.system(), HostResolver.system(), new SecureRandom());
            long start = System.nanoTime();
            List<Measurement> results = runner.probe(servers);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(results).hasSize(16).allSatisfy(m -> assertThat(m.answered()).isFalse());
            // One after the other this would take 16 s; all at once about 1 s.
            assertThat(elapsedMillis).isLessThan(6_000);
            assertThat(silent).allSatisfy(s -> assertThat(s.requests()).isEqualTo(2));
        } finally {
            for (ScriptedNtpServer s : silent) {
                s.close();
            }
        }
    }
}
