package io.timesync.testing.lab;

import io.timesync.testing.Loopback;
import io.timesync.testing.Threads;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A UDP relay on loopback in front of one NTP server that impairs each direction as an
 * {@link ImpairmentProfile} says: delay, loss, duplication, reordering and a route change. Seeded:
 * the same seed gives every datagram the same fate (see {@link ImpairmentDice}).
 *
 * <p>Clients send to {@link #address()}; the relay sends on to the server from a socket of its own
 * and passes each reply to the client whose request it answers, matched by the NTP origin timestamp
 * (the request's transmit timestamp, which the server echoes), so several clients and clients that
 * send every request from a new port are told apart. A reply that matches no request goes to the
 * client heard from last.
 *
 * <p>Delays are kept to about 10 µs on an idle machine: the sender sleeps until just before a
 * datagram is due and spins the rest.
 *
 * <p>An on-path attacker is the special case {@link #tampering}: no impairment, and every reply
 * passed through a function that may alter it.
 */
public final class ImpairmentRelay implements AutoCloseable {

    /** A held datagram goes at the latest this long after it was due, when no other one follows it. */
    static final long HOLD_LIMIT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long SPIN_NS = TimeUnit.MICROSECONDS.toNanos(300);
    private static final int NTP_HEADER = 48;
    private static final int REMEMBERED_REQUESTS = 4096;

    /** What happened in one direction so far. */
    public static final class Counts {
        final AtomicLong received = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong duplicated = new AtomicLong();
        final AtomicLong held = new AtomicLong();
        final AtomicLong sent = new AtomicLong();

        public long received() {
            return received.get();
        }

        public long dropped() {
            return dropped.get();
        }

        public long duplicated() {
            return duplicated.get();
        }

        public long held() {
            return held.get();
        }

        public long sent() {
            return sent.get();
        }

        @Override
        public String toString() {
            return "received " + received + ", dropped " + dropped + ", duplicated " + duplicated
                    + ", held back " + held + ", sent " + sent;
        }
    }

    private record Pending(long dueNs, long order, DatagramSocket socket, byte[] data, SocketAddress to, int direction) {
    }

    private static final int TO_SERVER = 0;
    private static final int TO_CLIENT = 1;

    private final ImpairmentProfile profile;
    private final UnaryOperator<byte[]> onReply;
    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress server;
    private final ImpairmentDice[] dice = new ImpairmentDice[2];
    private final Counts[] counts = {new Counts(), new Counts()};
    private final long startNs = System.nanoTime();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Pending> queue = new PriorityQueue<>(
            (a, b) -> a.dueNs != b.dueNs ? Long.compare(a.dueNs, b.dueNs) : Long.compare(a.order, b.order));
    private final Pending[] heldBack = new Pending[2];
    private long order;
    private final Map<ByteBuffer, SocketAddress> clients = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, SocketAddress> eldest) {
            return size() > REMEMBERED_REQUESTS;
        }
    };
    private volatile SocketAddress lastClient;
    private volatile boolean running = true;
    private final Thread[] threads;

    /**
     * Starts relaying from {@code listen} (port 0: any free port) to {@code server}.
     *
     * @throws SocketException when the port cannot be bound
     */
    public ImpairmentRelay(InetSocketAddress listen, InetSocketAddress server, ImpairmentProfile profile, long seed)
            throws SocketException {
        this(listen, server, profile, seed, UnaryOperator.identity());
    }

    private ImpairmentRelay(InetSocketAddress listen, InetSocketAddress server, ImpairmentProfile profile, long seed,
                            UnaryOperator<byte[]> onReply) throws SocketException {
        this.profile = profile;
        this.onReply = onReply;
        this.server = server;
        SplittableRandom seeds = new SplittableRandom(seed);
        dice[TO_SERVER] = new ImpairmentDice(profile.toServer(), seeds.nextLong());
        dice[TO_CLIENT] = new ImpairmentDice(profile.toClient(), seeds.nextLong());
        this.front = new DatagramSocket(listen);
        try {
            this.back = new DatagramSocket(new InetSocketAddress(listen.getAddress(), 0));
            front.setSoTimeout(100);
            back.setSoTimeout(100);
        } catch (SocketException e) {
            front.close();
            throw e;
        }
        threads = new Thread[] {
            new Thread(() -> receive(front, TO_SERVER), "relay-from-clients"),
            new Thread(() -> receive(back, TO_CLIENT), "relay-from-server"),
            new Thread(this::send, "relay-sender"),
        };
        for (Thread thread : threads) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * An on-path attacker on loopback in front of {@code server}: passes requests on at once and each
     * reply through {@code onReply}, which may alter it (flip a bit, replay an earlier one) or return
     * null to drop it.
     *
     * @throws SocketException when no loopback port can be bound
     */
    public static ImpairmentRelay tampering(InetSocketAddress server, UnaryOperator<byte[]> onReply) throws SocketException {
        return new ImpairmentRelay(new InetSocketAddress(Loopback.ipv4(), 0), server, ImpairmentProfile.named("none"), 0,
                onReply);
    }

    /** Where clients send. */
    public InetSocketAddress address() {
        return new InetSocketAddress(front.getLocalAddress(), front.getLocalPort());
    }

    public ImpairmentProfile profile() {
        return profile;
    }

    /** The client-to-server direction's counts. */
    public Counts toServer() {
        return counts[TO_SERVER];
    }

    /** The server-to-client direction's counts. */
    public Counts toClient() {
        return counts[TO_CLIENT];
    }

    private void receive(DatagramSocket socket, int direction) {
        byte[] buffer = new byte[65_535];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            long arrivedNs = System.nanoTime();
            byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
            SocketAddress to;
            DatagramSocket via;
            if (direction == TO_SERVER) {
                remember(packet.getSocketAddress(), data);
                to = server;
                via = back;
            } else {
                if (!packet.getSocketAddress().equals(server)) {
                    continue;
                }
                to = clientFor(data);
                via = front;
                if (to == null) {
                    continue;
                }
            }
            counts[direction].received.incrementAndGet();
            if (direction == TO_CLIENT) {
                data = onReply.apply(data);
                if (data == null) {
                    counts[direction].dropped.incrementAndGet();
                    continue;
                }
            }
            Fate fate = dice[direction].next(arrivedNs - startNs);
            if (fate.dropped()) {
                counts[direction].dropped.incrementAndGet();
                continue;
            }
            schedule(new Pending(arrivedNs + fate.delayNs(), 0, via, data, to, direction), fate.held());
            if (fate.duplicated()) {
                counts[direction].duplicated.incrementAndGet();
                enqueue(new Pending(arrivedNs + fate.duplicateDelayNs(), 0, via, data, to, direction));
            }
        }
    }

    private void remember(SocketAddress client, byte[] request) {
        lastClient = client;
        if (request.length >= NTP_HEADER) {
            synchronized (clients) {
                clients.put(ByteBuffer.wrap(Arrays.copyOfRange(request, 40, 48)), client);
            }
        }
    }

    private SocketAddress clientFor(byte[] reply) {
        if (reply.length >= NTP_HEADER) {
            synchronized (clients) {
                SocketAddress client = clients.get(ByteBuffer.wrap(reply, 24, 8).slice());
                if (client != null) {
                    return client;
                }
            }
        }
        return lastClient;
    }

    private void schedule(Pending pending, boolean hold) {
        lock.lock();
        try {
            int direction = pending.direction();
            Pending earlier = heldBack[direction];
            Pending next = new Pending(pending.dueNs(), order++, pending.socket(), pending.data(), pending.to(), direction);
            boolean releases = earlier != null && queue.remove(earlier);
            if (releases) {
                // The held datagram goes right after this one: that is the reordering.
                queue.add(new Pending(Math.max(earlier.dueNs(), next.dueNs()), order++, earlier.socket(), earlier.data(),
                        earlier.to(), direction));
            }
            heldBack[direction] = null;
            // A datagram that releases a held one is not held itself, or the two would go in their order.
            if (hold && !releases) {
                counts[direction].held.incrementAndGet();
                next = new Pending(next.dueNs() + HOLD_LIMIT_NS, next.order(), next.socket(), next.data(), next.to(), direction);
                heldBack[direction] = next;
            }
            queue.add(next);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A copy: it neither holds nor releases, so a held datagram waits for the next one, not its own copy. */
    private void enqueue(Pending copy) {
        lock.lock();
        try {
            queue.add(new Pending(copy.dueNs(), order++, copy.socket(), copy.data(), copy.to(), copy.direction()));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void send() {
        while (running) {
            Pending due;
            lock.lock();
            try {
                Pending first = queue.peek();
                if (first == null) {
                    changed.await(100, TimeUnit.MILLISECONDS);
                    continue;
                }
                long wait = first.dueNs() - System.nanoTime();
                if (wait > SPIN_NS) {
                    changed.awaitNanos(wait - SPIN_NS);
                    continue;
                }
                due = queue.poll();
                if (heldBack[due.direction()] == due) {
                    heldBack[due.direction()] = null;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            while (System.nanoTime() - due.dueNs() < 0) {
                Thread.onSpinWait();
            }
            try {
                due.socket().send(new DatagramPacket(due.data(), due.data().length, due.to()));
                counts[due.direction()].sent.incrementAndGet();
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                // A client that went away: the datagram is lost, as on a real path.
            }
        }
    }

    @Override
    public void close() {
        running = false;
        front.close();
        back.close();
        Threads.stop(List.of(threads));
    }

    /**
     * Runs one relay: {@code LISTEN-PORT SERVER-HOST:PORT PROFILE SEED [LIFETIME-SECONDS]} (default
     * lifetime 600 s). Prints {@code relaying 127.0.0.1:PORT} on stdout once it listens, and what
     * each direction did on stderr when it ends. Exit codes: 0 done, 64 bad arguments, 69 cannot
     * listen.
     */
    public static void main(String[] args) throws InterruptedException {
        PrintStream err = System.err;
        if (args.length < 4 || args.length > 5) {
            err.println("usage: ImpairmentRelay LISTEN-PORT SERVER-HOST:PORT PROFILE SEED [LIFETIME-SECONDS]");
            err.println("profiles: " + String.join(", ", ImpairmentProfile.names()));
            System.exit(64);
        }
        InetSocketAddress listen;
        InetSocketAddress target;
        ImpairmentProfile profile;
        long seed;
        Duration lifetime;
        try {
            listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
            int colon = args[1].lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("server '" + args[1] + "' needs a port: HOST:PORT");
            }
            target = new InetSocketAddress(InetAddress.getByName(args[1].substring(0, colon)),
                    Integer.parseInt(args[1].substring(colon + 1)));
            profile = ImpairmentProfile.named(args[2]);
            seed = Long.parseLong(args[3]);
            lifetime = Duration.ofSeconds(args.length == 5 ? Long.parseLong(args[4]) : 600);
        } catch (IllegalArgumentException | IOException e) {
            err.println("ImpairmentRelay: " + e.getMessage());
            System.exit(64);
            return;
        }
        ImpairmentRelay relay;
        try {
            relay = new ImpairmentRelay(listen, target, profile, seed);
        } catch (SocketException e) {
            err.println("ImpairmentRelay: cannot listen on " + listen + ": " + e.getMessage());
            System.exit(69);
            return;
        }
        System.out.println("relaying " + relay.address().getAddress().getHostAddress() + ":" + relay.address().getPort()
                + " to " + args[1] + " as " + profile.name() + ", seed " + seed);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            err.println("to server: " + relay.toServer());
            err.println("to client: " + relay.toClient());
        }));
        Thread.sleep(lifetime.toMillis());
        System.exit(0);
    }
}
