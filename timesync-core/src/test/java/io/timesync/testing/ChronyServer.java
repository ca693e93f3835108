package io.timesync.testing;

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
import java.time.Duration;
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
    private int precision;

    private ChronyServer(Process process, Path directory, Path log, int port, int stratum, boolean ipv6) {
        this.process = process;
        this.directory = directory;
        this.log = log;
        this.port = port;
        this.stratum = stratum;
        this.ipv6 = ipv6;
    }

    /**
     * How to run one chronyd.
     *
     * @param localStratum   {@code local stratum N}, or null for none (a follower of another server)
     * @param expectStratum  the stratum it must answer with before it counts as started
     * @param extraLines     more chrony.conf lines
     * @param fakeOffset     a libfaketime offset such as {@code +3600s}, or null
     * @param startTimeout   how long it may take to answer validly
     */
    public record Spec(Integer localStratum, int expectStratum, List<String> extraLines, String fakeOffset,
                       Duration startTimeout) {

        /** A server of its own at {@code stratum}. */
        public static Spec local(int stratum) {
            return new Spec(stratum, stratum, List.of(), null, Duration.ofSeconds(10));
        }

        /**
         * A server of its own at {@code stratum} that also serves NTS-KE on TCP {@code ntsPort} with
         * {@code certificate} and {@code key} (PEM), keeping its NTS keys in {@code dumpDirectory}.
         */
        public static Spec nts(int stratum, int ntsPort, Path certificate, Path key, Path dumpDirectory) {
            return new Spec(stratum, stratum, List.of("ntsport " + ntsPort, "ntsservercert " + certificate,
                    "ntsserverkey " + key, "ntsdumpdir " + dumpDirectory), null, Duration.ofSeconds(10));
        }

        /** A server at {@code stratum} whose clock runs {@code offset} (libfaketime syntax, e.g. {@code +3600s}) off. */
        public static Spec shifted(int stratum, String offset) {
            return new Spec(stratum, stratum, List.of(), offset, Duration.ofSeconds(10));
        }

        /**
         * A server that follows the one on {@code upstreamPort} and serves its time plus
         * {@code offsetSeconds} (chrony's {@code offset} option), one stratum below it.
         */
        public static Spec follower(int upstreamPort, int upstreamStratum, double offsetSeconds) {
            return new Spec(null, upstreamStratum + 1, List.of("server 127.0.0.1 port " + upstreamPort
                    + " iburst minpoll -4 maxpoll -4 offset " + offsetSeconds), null, Duration.ofSeconds(30));
        }
    }

    /** Starts chronyd with {@code local stratum N} in a new directory under {@code parent}. */
    public static ChronyServer start(Path parent, int stratum) throws IOException, InterruptedException {
        return start(parent, Spec.local(stratum));
    }

    /** Starts chronyd as {@code spec} says, in a new directory under {@code parent}. */
    public static ChronyServer start(Path parent, Spec spec) throws IOException, InterruptedException {
        Path chronyd = chronyd();
        Path directory = Files.createTempDirectory(parent, "chrony");
        // chronyd refuses a command-socket directory that others can read.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        boolean ipv6 = Loopback.hasIpv6();
        int port = Loopback.freeUdpPort(ipv6);
        List<String> config = new ArrayList<>(List.of(
                "port " + port,
                "bindaddress 127.0.0.1",
                "allow 127.0.0.1",
                "cmdport 0",
                "bindcmdaddress " + directory.resolve("chronyd.sock"),
                "pidfile " + directory.resolve("chronyd.pid"),
                "driftfile " + directory.resolve("drift")));
        if (spec.localStratum() != null) {
            config.add("local stratum " + spec.localStratum());
        }
        if (ipv6) {
            config.add("bindaddress ::1");
            config.add("allow ::1");
        }
        config.addAll(spec.extraLines());
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
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (spec.fakeOffset() != null) {
            builder.environment().put("LD_PRELOAD", findFaketime().toString());
            builder.environment().put("FAKETIME", spec.fakeOffset());
        }
        ChronyServer server = new ChronyServer(builder.start(), directory, log, port, spec.expectStratum(), ipv6);
        server.awaitAnswer(spec.startTimeout());
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

    /** The precision it announces (log2 seconds), as read from its first valid answer. */
    public int precision() {
        return precision;
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

    /** Its command socket, for {@code chronyc -h}. */
    public Path commandSocket() {
        return directory.resolve("chronyd.sock");
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

    private void awaitAnswer(Duration startTimeout) throws IOException, InterruptedException {
        byte[] request = new byte[48];
        request[0] = 0x23;
        request[47] = 1;
        long deadline = System.nanoTime() + startTimeout.toNanos();
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
                        precision = reply.getData()[3];
                        return;
                    }
                } catch (SocketTimeoutException e) {
                    // not up yet
                }
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("chronyd did not answer validly on port " + port + " within "
                + startTimeout.toSeconds() + " s:\n" + log());
    }

    private static Path findFaketime() {
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu/faketime", "/usr/lib/aarch64-linux-gnu/faketime",
                "/usr/lib/faketime", "/usr/local/lib/faketime")) {
            Path candidate = Path.of(dir, "libfaketime.so.1");
            if (Files.isReadable(candidate)) {
                return candidate;
            }
        }
        RequiredTool.missing("libfaketime is not installed; the shifted-server tests need it: apt-get install faketime");
        throw new AssertionError("unreachable");
    }

    /** The chronyd binary; fails in CI or skips when it is not installed. */
    public static Path chronyd() {
        return RequiredTool.find("TIMESYNC_CHRONYD", "chronyd", "the NTP integration tests need it: apt-get install chrony");
    }
}
