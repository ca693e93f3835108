package io.timesync.nts;

import io.timesync.time.ServerAddress;
import io.timesync.nts.NtsKeException.Reason;
import io.timesync.testing.Loopback;
import io.timesync.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * NTS-KE against servers that are not right: the JDK's own TLS server on loopback, configured as
 * TLS 1.2 only, without ALPN, with another ALPN, or speaking bad NTS-KE records. Each failure must
 * name its reason.
 */
class NtsKeClientTlsTest {

    @TempDir
    static Path temp;

    private static TestPki pki;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(temp.resolve("pki"), "localhost", "DNS:localhost");
    }

    /** A one-connection JDK TLS server that answers the NTS-KE request with {@code response}. */
    private static final class JdkTlsServer implements AutoCloseable {
        private final SSLServerSocket socket;
        private final Thread thread;

        JdkTlsServer(String[] protocols, String[] alpn, byte[] response) throws Exception {
            SSLContext context = pki.serverContext();
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            socket.bind(new InetSocketAddress(Loopback.ipv4(), 0));
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(protocols);
            if (alpn != null) {
                parameters.setApplicationProtocols(alpn);
            }
            socket.setSSLParameters(parameters);
            thread = new Thread(() -> serve(response), "jdk-tls-server");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(byte[] response) {
            try (SSLSocket client = (SSLSocket) socket.accept()) {
                client.setSoTimeout(5_000);
                client.startHandshake();
                byte[] request = new byte[16];
                client.getInputStream().readNBytes(request, 0, request.length);
                if (response != null) {
                    client.getOutputStream().write(response);
                    client.getOutputStream().flush();
                }
            } catch (SocketTimeoutException e) {
                // the client gave up
            } catch (IOException e) {
                // handshake refused: what these tests provoke
            }
        }

        ServerAddress address() {
            return new ServerAddress("localhost", socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static NtsKeException establish(JdkTlsServer server) {
        NtsKeClient client = new NtsKeClient(NtsTrust.fromFile(pki.caCertificate()), Duration.ofSeconds(5));
        return catchThrowableOfType(NtsKeException.class, () -> client.establish(server.address(), Loopback.ipv4()));
    }

    private static final String[] TLS13 = {"TLSv1.3"};
    private static final String[] NTSKE = {"ntske/1"};

    @Test
    void aTls12OnlyServerIsRefusedForItsVersion() throws Exception {
        try (JdkTlsServer server = new JdkTlsServer(new String[] {"TLSv1.2"}, NTSKE, null)) {
            NtsKeException e = establish(server);
            assertThat(e.reason()).isEqualTo(Reason.TLS_VERSION);
            assertThat(e.getMessage()).contains("TLS 1.3");
        }
    }

    @Test
    void aServerWithoutAlpnIsRefused() throws Exception {
        try (JdkTlsServer server = new JdkTlsServer(TLS13, null, null)) {
            NtsKeException e = establish(server);
            assertThat(e.reason()).isEqualTo(Reason.NO_ALPN);
            assertThat(e.getMessage()).contains("ntske/1");
        }
    }

    @Test
    void aServerSpeakingAnotherProtocolIsRefused() throws Exception {
        try (JdkTlsServer server = new JdkTlsServer(TLS13, new String[] {"h2"}, null)) {
            assertThat(establish(server).reason()).isEqualTo(Reason.NO_ALPN);
        }
    }

    @Test
    void anErrorRecordIsTheServersRefusal() throws Exception {
        byte[] error = {(byte) 0x80, 2, 0, 2, 0, 1, (byte) 0x80, 0, 0, 0};
        try (JdkTlsServer server = new JdkTlsServer(TLS13, NTSKE, error)) {
            NtsKeException e = establish(server);
            assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
            assertThat(e.getMessage()).contains("bad request");
        }
    }

    @Test
    void aConnectionClosedBeforeEndOfMessageIsMalformed() throws Exception {
        byte[] partial = {(byte) 0x80, 1, 0, 2, 0, 0};
        try (JdkTlsServer server = new JdkTlsServer(TLS13, NTSKE, partial)) {
            assertThat(establish(server).reason()).isEqualTo(Reason.MALFORMED);
        }
    }

    @Test
    void anEndlessResponseIsCutAtTheLimit() throws Exception {
        // One non-critical unknown record after another, never an End of Message.
        byte[] flood = new byte[NtsKeRecords.MAX_MESSAGE + 4096];
        for (int i = 0; i + 260 <= flood.length; i += 260) {
            flood[i] = 0x40;
            flood[i + 1] = 0x01;
            flood[i + 2] = 1;
            flood[i + 3] = 0;
        }
        try (JdkTlsServer server = new JdkTlsServer(TLS13, NTSKE, flood)) {
            assertThat(establish(server).reason()).isEqualTo(Reason.TOO_LARGE);
        }
    }
}
