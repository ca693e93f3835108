package io.timesync.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a server certificate it signed, made with the real {@code openssl} for each test
 * run (EC P-256, as public NTS servers use): PEM files for chronyd, the CA's PEM for the client's
 * trust file, and a PKCS#12 of the server's key and chain for JDK test servers.
 *
 * <p>When openssl is absent, tests fail in CI and are skipped elsewhere, like {@link ChronyServer}.
 */
public final class TestPki {

    /** Password of {@link #serverPkcs12()}. */
    public static final String PASSWORD = "changeit";

    private final Path directory;

    private TestPki(Path directory) {
        this.directory = directory;
    }

    /**
     * Makes the CA and a server certificate whose subject alternative names are {@code names}
     * (e.g. {@code DNS:localhost}) in {@code directory}.
     */
    public static TestPki create(Path directory, String commonName, String... names) throws IOException, InterruptedException {
        Path openssl = findOpenssl();
        Files.createDirectories(directory);
        TestPki pki = new TestPki(directory);
        run(directory, openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "30", "-subj", "/CN=TimeSync Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", "ca.key", "-out", "ca.crt");
        run(directory, openssl.toString(), "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-subj", "/CN=" + commonName, "-keyout", "server.key", "-out", "server.csr");
        Files.write(directory.resolve("server.ext"), List.of("subjectAltName=" + String.join(",", names),
                "basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature",
                "extendedKeyUsage=serverAuth"), StandardCharsets.US_ASCII);
        run(directory, openssl.toString(), "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "30", "-extfile", "server.ext", "-out", "server.crt");
        run(directory, openssl.toString(), "pkcs12", "-export", "-in", "server.crt", "-certfile", "ca.crt",
                "-inkey", "server.key", "-name", "server", "-out", "server.p12", "-passout", "pass:" + PASSWORD);
        return pki;
    }

    /** The CA certificate (PEM): the client's trust file. */
    public Path caCertificate() {
        return directory.resolve("ca.crt");
    }

    /** The server certificate (PEM). */
    public Path serverCertificate() {
        return directory.resolve("server.crt");
    }

    /** The server's private key (PEM, unencrypted). */
    public Path serverKey() {
        return directory.resolve("server.key");
    }

    /** The server's key and chain as PKCS#12, password {@link #PASSWORD}. */
    public Path serverPkcs12() {
        return directory.resolve("server.p12");
    }

    /** A JDK TLS context serving {@link #serverPkcs12()}, for test servers. */
    public SSLContext serverContext() throws GeneralSecurityException, IOException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverPkcs12())) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(directory, "openssl", ".log");
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl did not finish: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("openssl failed (" + process.exitValue() + "): " + String.join(" ", command)
                    + "\n" + Files.readString(log));
        }
    }

    private static Path findOpenssl() {
        return RequiredTool.find("TIMESYNC_OPENSSL", "openssl", "the NTS tests make their certificates with it: apt-get install openssl");
    }
}
