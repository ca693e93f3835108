package io.timesync.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real chronyd serving NTP on loopback (127.0.0.1 and, where the host has it, ::1) on a free high
 * port, with its own config, pid and socket files in a private directory. It never touches the
 * system clock ({@code -x}) and runs in the foreground as a child process, so {@link #close()}
 * always stops it.
 *
 * <p>When chronyd is not installed, tests using it fail in CI ({@code CI=true}) and are skipped
 * elsewhere with a message saying how to install it.
 */
public final class ChronyServer implements AutoCloseable {

    private final Process process;
    private final Path directory;
    private final Path log;
    private final int port;
    private final int stratum;
    private final boolean ipv6;

    private ChronyServer(Process process, Path directory, Path log, int port, int stratum, boolean ipv6) {
        this.process = process;
        this.directory = directory;
        this.log = log;
        this.port = port;
        this.stratum = stratum;
        this.ipv6 = ipv6;
    }

    /** Starts chronyd with {@code local stratum N} in a new directory under {@code parent}. */
    public static ChronyServer start(Path parent, int stratum) throws IOException, InterruptedException {
        Path chronyd = findChronyd();
        Path directory = Files.createTempDirectory(parent, "chrony");
        // chronyd refuses a command-socket directory that others can read.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        boolean ipv6 = Loopback.hasIpv6();
        int port = Loopback.freeUdpPort(ipv6);
        List<String> config = new ArrayList<>(List.of(
                "port " + port,
                "bindaddress 127.0.0.1",
                "allow 127.0.0.1",
                "local stratum " + stratum,
                "cmdport 0",
                "bindcmdaddress " + directory.resolve("chronyd.sock"),
                "pidfile " + directory.resolve("chronyd.pid"),
                "driftfile " + directory.resolve("drift")));
        if (ipv6) {
            config.add("bindaddress ::1");
            config.add("allow ::1");
        }
        Path conf = directory.resolve("chrony.conf");
        Files.write(conf, config, StandardCharsets.US_ASCII);
        Path log = directory.resolve("chronyd.log");
        List<String> command = new ArrayList<>(List.of(chronyd.toString(), "-x", "-d", "-f", conf.toString()));
        String user = System.getProperty("user.name");
        if ("root".equals(user)) {
            command.addAll(List.of("-u", "root"));
        } else {
            command.addAll(List.of("-U", "-u", user));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChronyServer server = new ChronyServer(process, directory, log, port, stratum, ipv6);
        server.awaitAnswer();
        return server;
    }

    /** The UDP port it serves on. */
    public int port() {
        return port;
    }

    /** The configured stratum. */
    public int stratum() {
        return stratum;
    }

    /** Whether it also serves on ::1. */
    public boolean servesIpv6() {
        return ipv6;
    }

    /** {@code 127.0.0.1:PORT}. */
    public String ipv4Server() {
        return "127.0.0.1:" + port;
    }

    /** Its log so far, for assertion messages. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The directory holding its files. */
    public Path directory() {
        return directory;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void awaitAnswer() throws IOException, InterruptedException {
        byte[] request = new byte[48];
        request[0] = 0x23;
        request[47] = 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(100);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("chronyd exited with " + process.exitValue() + ":\n" + log());
                }
                socket.send(new DatagramPacket(request, 48, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                try {
                    DatagramPacket reply = new DatagramPacket(new byte[512], 512);
                    socket.receive(reply);
                    // Until its local reference is up, chronyd answers unsynchronised (LI 3).
                    if (reply.getLength() >= 48 && (reply.getData()[0] & 0xC0) != 0xC0 && reply.getData()[1] == stratum) {
                        return;
                    }
                } catch (SocketTimeoutException e) {
                    // not up yet
                }
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("chronyd did not answer on port " + port + " within 10 s:\n" + log());
    }

    private static Path findChronyd() {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/usr/local/sbin")) {
            Path candidate = Path.of(dir, "chronyd");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = "chronyd is not installed; the NTP integration tests need it: apt-get install chrony";
        if ("true".equalsIgnoreCase(System.getProperty("timesync.ci")) || "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + " (CI must install it, see .ci/run)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }
}
