package io.timesync.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One real chronyd serving NTP and NTS-KE on loopback for a whole test class, with a certificate
 * for {@code localhost} (DNS name only, so that {@code 127.0.0.1} is a wrong host name) signed by
 * a private CA made for the run: {@code @RegisterExtension static final ChronyNtsExtension nts = new ChronyNtsExtension(8);}.
 */
public final class ChronyNtsExtension implements BeforeAllCallback, AfterAllCallback {

    private final int stratum;
    private Path directory;
    private TestPki pki;
    private ChronyServer server;
    private int ntsPort;

    /** A chronyd with {@code local stratum N}. */
    public ChronyNtsExtension(int stratum) {
        this.stratum = stratum;
    }

    /** The running server. */
    public ChronyServer server() {
        if (server == null) {
            throw new IllegalStateException("chronyd is not running: use ChronyNtsExtension as a static @RegisterExtension field");
        }
        return server;
    }

    /** The certificates. */
    public TestPki pki() {
        return pki;
    }

    /** Its NTS-KE TCP port. */
    public int ntsPort() {
        return ntsPort;
    }

    /** {@code localhost:NTSPORT}: the name its certificate carries. */
    public String keServer() {
        return "localhost:" + ntsPort;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("timesync-nts");
        pki = TestPki.create(directory.resolve("pki"), "localhost", "DNS:localhost");
        Path dump = Files.createDirectories(directory.resolve("ntsdump"));
        ntsPort = Loopback.freeTcpPort();
        server = ChronyServer.start(directory, ChronyServer.Spec.nts(stratum, ntsPort, pki.serverCertificate(),
                pki.serverKey(), dump));
        awaitKeyEstablishmentPort();
    }

    // chronyd answers NTP before its NTS-KE helper process may listen: wait for that too.
    private void awaitKeyEstablishmentPort() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(Loopback.ipv4(), ntsPort), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("chronyd does not listen for NTS-KE on port " + ntsPort + ":\n" + server.log());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            server = null;
            ChronyExtension.deleteTree(directory);
        }
    }
}
