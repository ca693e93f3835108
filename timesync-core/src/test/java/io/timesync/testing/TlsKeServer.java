package io.timesync.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;

/**
 * The JDK's TLS 1.3 server on loopback, speaking ALPN {@code ntske/1} with the server certificate of
 * a {@link TestPki}, and nothing after the handshake: enough for a client to see, and judge, the
 * certificate an NTS-KE server presents. Serves one connection after another until closed.
 */
public final class TlsKeServer implements AutoCloseable {

    private final SSLServerSocket socket;
    private final Thread thread;

    /** Starts serving {@code pki}'s server certificate. */
    public TlsKeServer(TestPki pki) throws Exception {
        SSLContext context = pki.serverContext();
        socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.bind(new InetSocketAddress(Loopback.ipv4(), 0));
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3"});
        parameters.setApplicationProtocols(new String[] {"ntske/1"});
        socket.setSSLParameters(parameters);
        thread = new Thread(this::serve, "tls-ke-server");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (SSLSocket client = (SSLSocket) socket.accept()) {
                client.setSoTimeout(5_000);
                client.startHandshake();
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                // The client refused the certificate: what these servers are for.
            }
        }
    }

    /** The port, on {@link Loopback#ipv4()}. */
    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        thread.join(5_000);
    }
}
