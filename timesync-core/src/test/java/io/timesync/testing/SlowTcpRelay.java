package io.timesync.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A trickling box on the path, on loopback: relays each TCP connection to a real server, passing the
 * client's bytes at once and releasing the server's one byte at a time, one every {@code interval}.
 * No keys needed: any on-path box can do this to a TLS connection. Bounded: at most
 * {@link #MAX_CONNECTIONS} connections; closing it closes them all and ends its threads.
 */
public final class SlowTcpRelay implements AutoCloseable {

    /** Connections relayed at most; later ones are closed at once. */
    public static final int MAX_CONNECTIONS = 16;

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final long intervalMillis;
    private final Thread acceptor;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger released = new AtomicInteger();
    private volatile boolean running = true;

    public SlowTcpRelay(InetSocketAddress upstream, Duration interval) throws IOException {
        this.listener = new ServerSocket(0, 50, Loopback.ipv4());
        this.upstream = upstream;
        this.intervalMillis = interval.toMillis();
        this.acceptor = new Thread(this::accept, "slow-tcp-relay");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** Where clients connect. */
    public InetSocketAddress address() {
        return new InetSocketAddress(Loopback.ipv4(), listener.getLocalPort());
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Bytes of the server's released to clients so far. */
    public int released() {
        return released.get();
    }

    private void accept() {
        int accepted = 0;
        while (running) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (++accepted > MAX_CONNECTIONS) {
                closeQuietly(client);
                continue;
            }
            Socket server = new Socket();
            synchronized (sockets) {
                if (!running) {
                    closeQuietly(client);
                    return;
                }
                sockets.add(client);
                sockets.add(server);
            }
            try {
                server.connect(upstream, 5000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            start(() -> pass(client, server), "slow-tcp-relay-up");
            start(() -> trickle(server, client), "slow-tcp-relay-down");
        }
    }

    private void start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        synchronized (sockets) {
            threads.add(thread);
        }
        thread.start();
    }

    /** Client to server, at once. */
    private void pass(Socket from, Socket to) {
        byte[] buffer = new byte[4096];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while (running && (n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // closed: the relay or a side ended
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Server to client, one byte every interval. */
    private void trickle(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int b;
            while (running && (b = in.read()) >= 0) {
                Thread.sleep(intervalMillis);
                out.write(b);
                out.flush();
                released.incrementAndGet();
            }
        } catch (IOException | InterruptedException e) {
            // closed or stopped
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        listener.close();
        List<Thread> toJoin;
        synchronized (sockets) {
            sockets.forEach(SlowTcpRelay::closeQuietly);
            toJoin = new ArrayList<>(threads);
            toJoin.add(acceptor);
        }
        Threads.stop(toJoin);
    }
}
