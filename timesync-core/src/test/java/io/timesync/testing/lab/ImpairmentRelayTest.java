package io.timesync.testing.lab;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay on real UDP on loopback, between a client and an echo server in this JVM, both timing
 * each datagram with the same clock: the one-way delays and the loss each direction shows match the
 * profile within statistical limits for a fixed seed, the same seed loses the same datagrams, and
 * duplicates and reordering happen. The relay can only add time, so the profile's minimum delay is a
 * hard floor; above it the mean may also carry the machine's scheduling delay (allowed: 2 ms).
 */
class ImpairmentRelayTest {

    private static final long MS = 1_000_000L;
    private static final int DATAGRAMS = 400;
    /** How far above the profile's mean a loaded machine may push a measured mean delay. */
    private static final double SCHEDULING_NS = 2 * MS;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    @Test
    void delaysAndLossMatchTheProfile() throws Exception {
        PathImpairment out = PathImpairment.fixed(20 * MS).withJitter(10 * MS).withLoss(0.2);
        PathImpairment back = PathImpairment.fixed(5 * MS).withBursts(1.0, 5 * MS).withLoss(0.1);
        Exchange exchange = run(new ImpairmentProfile("test", out, back), 42, 2 * MS);

        List<Long> outDelays = exchange.outDelays();
        List<Long> backDelays = exchange.backDelays();
        assertThat(Collections.min(outDelays)).isGreaterThanOrEqualTo(out.baseNs());
        assertThat(Collections.min(backDelays)).isGreaterThanOrEqualTo(back.baseNs());
        // Uniform over [20, 30) ms: standard deviation 10/sqrt(12) ms.
        assertMeanNear(outDelays, out.meanDelayNs(), 10 * MS / Math.sqrt(12));
        // 5 ms plus an exponential of mean 5 ms: standard deviation 5 ms.
        assertMeanNear(backDelays, back.meanDelayNs(), 5 * MS);

        int reachedServer = exchange.atServer.size();
        assertFractionNear(DATAGRAMS - reachedServer, DATAGRAMS, out.loss());
        assertFractionNear(reachedServer - exchange.atClient.size(), reachedServer, back.loss());
        assertThat(exchange.relay.toServer().dropped()).isEqualTo(DATAGRAMS - reachedServer);

        Exchange again = run(new ImpairmentProfile("test", out, back), 42, 2 * MS);
        assertThat(again.atServer.keySet()).isEqualTo(exchange.atServer.keySet());
        Exchange otherSeed = run(new ImpairmentProfile("test", out, back), 43, 2 * MS);
        assertThat(otherSeed.atServer.keySet()).isNotEqualTo(exchange.atServer.keySet());
    }

    @Test
    void duplicatesAndReorderingHappen() throws Exception {
        PathImpairment duplicating = PathImpairment.fixed(MS).withDuplication(0.1);
        Exchange copies = run(new ImpairmentProfile("test", duplicating, PathImpairment.fixed(0)), 5, 2 * MS);
        long duplicated = copies.relay.toServer().duplicated();
        assertFractionNear(duplicated, DATAGRAMS, duplicating.duplication());
        assertThat(copies.serverOrder.size() - copies.atServer.size()).isEqualTo(duplicated);

        // Apart, because a held datagram's copy is not held and would reach the server first.
        PathImpairment reordering = PathImpairment.fixed(MS).withReorder(0.1);
        Exchange reordered = run(new ImpairmentProfile("test", reordering, PathImpairment.fixed(0)), 5, 2 * MS);
        long held = reordered.relay.toServer().held();
        assertFractionNear(held, DATAGRAMS, reordering.reorder());
        // Every held datagram but possibly the last goes after the one sent next.
        assertThat(reordered.inversions()).isBetween(held - 1, held);
    }

    private static void assertMeanNear(List<Long> delays, double mean, double sd) {
        double measured = delays.stream().mapToLong(Long::longValue).average().orElseThrow();
        double limit = 4 * sd / Math.sqrt(delays.size());
        assertThat(measured).as("mean delay of %d datagrams", delays.size()).isBetween(mean - limit, mean + limit + SCHEDULING_NS);
    }

    private static void assertFractionNear(long count, long of, double p) {
        double limit = 4 * Math.sqrt(p * (1 - p) / of);
        assertThat((double) count / of).as("%d of %d", count, of).isBetween(p - limit, p + limit);
    }

    /** What one client sending numbered datagrams through the relay to an echo server saw. */
    private static final class Exchange {
        final ImpairmentRelay relay;
        final Map<Long, Long> sent = new ConcurrentHashMap<>();
        final Map<Long, Long> atServer = new ConcurrentHashMap<>();
        final List<Long> serverOrder = new CopyOnWriteArrayList<>();
        final Map<Long, Long> atClient = new ConcurrentHashMap<>();

        Exchange(ImpairmentRelay relay) {
            this.relay = relay;
        }

        List<Long> outDelays() {
            List<Long> delays = new ArrayList<>();
            atServer.forEach((seq, at) -> delays.add(at - sent.get(seq)));
            return delays;
        }

        List<Long> backDelays() {
            List<Long> delays = new ArrayList<>();
            atClient.forEach((seq, at) -> delays.add(at - atServer.get(seq)));
            return delays;
        }

        /** Datagrams that first reached the server after one sent later. */
        long inversions() {
            Set<Long> seen = new HashSet<>();
            long highest = -1;
            long inversions = 0;
            for (long seq : serverOrder) {
                if (!seen.add(seq)) {
                    continue;
                }
                if (seq < highest) {
                    inversions++;
                }
                highest = Math.max(highest, seq);
            }
            return inversions;
        }
    }

    private Exchange run(ImpairmentProfile profile, long seed, long spacingNs) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        DatagramSocket server = new DatagramSocket(new InetSocketAddress(loopback, 0));
        open.add(server);
        ImpairmentRelay relay = new ImpairmentRelay(new InetSocketAddress(loopback, 0),
                new InetSocketAddress(loopback, server.getLocalPort()), profile, seed);
        open.add(relay);
        DatagramSocket client = new DatagramSocket(new InetSocketAddress(loopback, 0));
        open.add(client);
        Exchange exchange = new Exchange(relay);
        Thread echo = receiver(server, packet -> {
            long seq = ByteBuffer.wrap(packet.getData(), 40, 8).getLong();
            exchange.atServer.putIfAbsent(seq, System.nanoTime());
            exchange.serverOrder.add(seq);
            byte[] reply = new byte[48];
            // The origin timestamp echoes the request's transmit timestamp, as an NTP server does.
            System.arraycopy(packet.getData(), 40, reply, 24, 8);
            server.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
        });
        Thread replies = receiver(client, packet -> {
            long seq = ByteBuffer.wrap(packet.getData(), 24, 8).getLong();
            exchange.atClient.putIfAbsent(seq, System.nanoTime());
        });
        for (long seq = 0; seq < DATAGRAMS; seq++) {
            byte[] request = new byte[48];
            ByteBuffer.wrap(request, 40, 8).putLong(seq);
            exchange.sent.put(seq, System.nanoTime());
            client.send(new DatagramPacket(request, request.length, relay.address()));
            TimeUnit.NANOSECONDS.sleep(spacingNs);
        }
        // Everything due has arrived once the longest delay and a held datagram's limit have passed.
        long deadline = System.nanoTime() + ImpairmentRelay.HOLD_LIMIT_NS + 2_000 * MS;
        long quietSince = System.nanoTime();
        int lastCount = -1;
        while (System.nanoTime() < deadline) {
            int count = exchange.serverOrder.size() + exchange.atClient.size();
            if (count != lastCount) {
                lastCount = count;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > ImpairmentRelay.HOLD_LIMIT_NS + 500 * MS) {
                break;
            }
            Thread.sleep(50);
        }
        server.close();
        client.close();
        echo.join(2000);
        replies.join(2000);
        relay.close();
        return exchange;
    }

    private interface OnPacket {
        void accept(DatagramPacket packet) throws IOException;
    }

    private static Thread receiver(DatagramSocket socket, OnPacket onPacket) throws IOException {
        socket.setSoTimeout(100);
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[2048];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                    onPacket.accept(packet);
                } catch (SocketTimeoutException e) {
                    // look again whether the socket was closed
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-receiver");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
