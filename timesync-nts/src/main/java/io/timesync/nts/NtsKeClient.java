package io.timesync.nts;

import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.nts.NtsKeException.Reason;
import io.timesync.probe.AddressText;
import io.timesync.probe.SecureProbes;
import io.timesync.text.Printable;
import io.timesync.text.DurationText;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsException;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Vector;
import java.util.concurrent.TimeUnit;

/**
 * The NTS-KE client (RFC 8915 §4): TLS 1.3 only, ALPN {@code ntske/1}, the server's certificate
 * checked against an {@link NtsTrust} and the host name; then one request, the response's records,
 * and the two AEAD keys exported with the label {@code EXPORTER-network-time-security}.
 *
 * <p>TLS is Bouncy Castle's pure-Java TLS API with its own lightweight crypto, used privately (no
 * JVM-wide provider is installed): Java 17's JSSE cannot export keying material, and Bouncy
 * Castle's JSSE layer does not expose its exporter there either.
 *
 * <p>One deadline covers a whole exchange: the connection, the handshake and every record. A
 * timeout per read would not do: a server (or anyone on the path) that releases one byte at a time
 * within it could hold the exchange open for hours.
 *
 * <p>Thread-safe: every exchange has its own connection.
 */
public final class NtsKeClient {

    private static final Logger log = LoggerFactory.getLogger(NtsKeClient.class);

    /** The default NTS-KE port. */
    public static final int DEFAULT_PORT = SecureProbes.KE_PORT;
    /** The ALPN protocol id (RFC 8915 §4). */
    public static final String ALPN = "ntske/1";
    /** The exporter label (RFC 8915 §5.1). */
    static final String EXPORTER_LABEL = "EXPORTER-network-time-security";

    /** How long a whole key establishment may take by default: a TCP connection and a TLS 1.3 handshake are a few round trips. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

    private static final TlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());

    private final NtsTrust trust;
    private final Duration deadline;
    private final TimeSource time;

    /**
     * A client on the system clocks.
     *
     * @param trust    which certificates to accept
     * @param deadline how long a whole key establishment may take: connection, handshake and records
     */
    public NtsKeClient(NtsTrust trust, Duration deadline) {
        this(trust, deadline, TimeSource.system());
    }

    /**
     * @param trust    which certificates to accept
     * @param deadline how long a whole key establishment may take: connection, handshake and records
     * @param time     whose monotonic clock measures the deadline
     */
    public NtsKeClient(NtsTrust trust, Duration deadline, TimeSource time) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.time = Objects.requireNonNull(time, "time");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, got " + DurationText.of(deadline));
        }
    }

    /** How long a whole key establishment may take. */
    public Duration deadline() {
        return deadline;
    }

    /** The monotonic time by which an exchange that starts now must end. */
    long deadlineFromNow() {
        return time.monotonicNanos() + deadline.toNanos();
    }

    /** When the connection must be made, for an equal share of what is left before {@code deadlineNanos} among {@code attempts}. */
    long connectBy(long deadlineNanos, int attempts) {
        long now = time.monotonicNanos();
        return now + Math.max(0, deadlineNanos - now) / Math.max(1, attempts);
    }

    /** Which certificates this client accepts. */
    public NtsTrust trust() {
        return trust;
    }

    /**
     * Runs key establishment with {@code server} (its port is the NTS-KE port) at {@code address}.
     *
     * @throws NtsKeException with a typed reason; nothing of a failed exchange is kept
     */
    public NtsKeResult establish(ServerAddress server, InetAddress address) throws NtsKeException {
        long deadlineNanos = deadlineFromNow();
        return establish(server, address, deadlineNanos, deadlineNanos);
    }

    /**
     * Runs key establishment as {@link #establish(ServerAddress, InetAddress)} does, ending it with
     * {@link Reason#TIMEOUT} at {@code deadlineNanos} on this client's monotonic clock; a connection
     * not made by {@code connectByNanos}, when that is earlier, fails with {@link Reason#CONNECT}, so
     * the server's next address can be tried.
     */
    NtsKeResult establish(ServerAddress server, InetAddress address, long connectByNanos, long deadlineNanos)
            throws NtsKeException {
        try (Socket tcp = new Socket()) {
            try {
                tcp.connect(new InetSocketAddress(address, server.port()), remainingMillis(connectByNanos));
            } catch (SocketTimeoutException e) {
                if (connectByNanos - deadlineNanos < 0) {
                    throw new NtsKeException(Reason.CONNECT, server + ": no connection to " + AddressText.of(address)
                            + " within its share of the deadline", e);
                }
                throw overran(server, "no connection", e);
            } catch (IOException e) {
                throw new NtsKeException(Reason.CONNECT, server + ": " + e.getMessage(), e);
            }
            InputStream in = new DeadlineInputStream(tcp, deadlineNanos);
            TlsClientProtocol tls = new TlsClientProtocol(in, tcp.getOutputStream());
            Client client = new Client(trust, server.host());
            tls.connect(client);
            TlsContext context = client.context();
            ProtocolVersion version = context.getServerVersion();
            if (!ProtocolVersion.TLSv13.equals(version)) {
                throw new NtsKeException(Reason.TLS_VERSION, server + " negotiated " + version);
            }
            ProtocolName alpn = context.getSecurityParametersConnection().getApplicationProtocol();
            if (!ProtocolName.NTSKE_1.equals(alpn)) {
                throw new NtsKeException(Reason.NO_ALPN, server + (alpn == null
                        ? " negotiated no application protocol" : " negotiated '" + alpn.getUtf8Decoding() + "'"));
            }
            OutputStream out = tls.getOutputStream();
            out.write(NtsKeRecords.request());
            out.flush();
            byte[] message = readMessage(tls.getInputStream(), server);
            NtsKeResponse response = NtsKeRecords.parse(message, message.length);
            closeQuietly(tls);
            log.debug("NTS-KE with {}: {} cookies, NTP server {} port {}", server, response.cookies().size(),
                    response.server() == null ? "(same address)" : response.server(),
                    response.port() == 0 ? ServerAddress.NTP_PORT : response.port());
            return new NtsKeResult(client.c2s, client.s2c, response, address);
        } catch (IOException e) {
            if (timedOut(e) || time.monotonicNanos() - deadlineNanos >= 0) {
                throw overran(server, "key establishment not complete", e);
            }
            throw classify(server, e);
        }
    }

    private NtsKeException overran(ServerAddress server, String what, IOException cause) {
        return new NtsKeException(Reason.TIMEOUT, server + ": " + what + " within the deadline of " + deadline.toMillis()
                + " ms (connection, TLS handshake and records)", cause);
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** What is left until {@code deadlineNanos}, in whole milliseconds rounded up, at least 1 (0 would mean no limit). */
    private int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long remaining = deadlineNanos - time.monotonicNanos();
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999)));
    }

    /** The socket's input, each read bounded by what is left of the exchange's deadline. */
    private final class DeadlineInputStream extends FilterInputStream {
        private final Socket socket;
        private final long deadlineNanos;

        DeadlineInputStream(Socket socket, long deadlineNanos) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            return super.read(b, off, len);
        }
    }

    /** Sends close_notify; the server may have closed first, which is no failure once the response is in. */
    private static void closeQuietly(TlsClientProtocol tls) {
        try {
            tls.close();
        } catch (IOException e) {
            log.debug("NTS-KE close: {}", e.toString());
        }
    }

    /** Reads records until End of Message, within {@link NtsKeRecords#MAX_MESSAGE}. */
    private static byte[] readMessage(InputStream in, ServerAddress server) throws IOException, NtsKeException {
        byte[] message = new byte[1024];
        int length = 0;
        int recordStart = 0;
        while (true) {
            int end = NtsKeRecords.recordEnd(message, recordStart, length);
            if (end >= 0) {
                if (NtsKeRecords.recordType(message, recordStart) == NtsKeRecords.END_OF_MESSAGE) {
                    return Arrays.copyOf(message, end);
                }
                recordStart = end;
                continue;
            }
            if (length == message.length) {
                if (length >= NtsKeRecords.MAX_MESSAGE) {
                    throw new NtsKeException(Reason.TOO_LARGE, "more than " + NtsKeRecords.MAX_MESSAGE
                            + " bytes without End of Message");
                }
                message = Arrays.copyOf(message, Math.min(NtsKeRecords.MAX_MESSAGE, length * 2));
            }
            int n = in.read(message, length, message.length - length);
            if (n < 0) {
                throw new NtsKeException(Reason.MALFORMED, server + " closed the connection before End of Message");
            }
            length += n;
        }
    }

    private static NtsKeException classify(ServerAddress server, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RefusedCertificate refused) {
                return new NtsKeException(refused.reason, server + ": " + refused.getMessage(), e);
            }
            short alert = -1;
            if (t instanceof TlsFatalAlertReceived received) {
                alert = received.getAlertDescription();
            } else if (t instanceof TlsFatalAlert sent) {
                alert = sent.getAlertDescription();
            }
            if (alert == AlertDescription.protocol_version) {
                return new NtsKeException(Reason.TLS_VERSION, server + " refused TLS 1.3 (alert protocol_version)", e);
            }
            if (alert == AlertDescription.no_application_protocol) {
                return new NtsKeException(Reason.NO_ALPN, server + " does not speak '" + ALPN
                        + "' (alert no_application_protocol)", e);
            }
        }
        if (e instanceof TlsException) {
            return new NtsKeException(Reason.TLS, server + ": " + e.getMessage(), e);
        }
        return new NtsKeException(Reason.CONNECT, server + ": " + e.getMessage(), e);
    }

    /** A certificate refusal that keeps its typed reason through the TLS stack. */
    private static final class RefusedCertificate extends CertificateException {
        final transient Reason reason;

        RefusedCertificate(Reason reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }
    }

    /**
     * The TLS client: TLS 1.3 only, ALPN ntske/1, SNI for a DNS name, and the certificate checked
     * by the trust's chain check, then by the host name, each failing with its own reason.
     */
    private static final class Client extends DefaultTlsClient {
        private final NtsTrust trust;
        private final String host;

        Client(NtsTrust trust, String host) {
            super(CRYPTO);
            this.trust = trust;
            this.host = host;
        }

        // Exported when the handshake completes, the only time Bouncy Castle allows it.
        byte[] c2s;
        byte[] s2c;

        TlsContext context() {
            return context;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            c2s = export(0);
            s2c = export(1);
        }

        private byte[] export(int direction) {
            // RFC 8915 §5.1: Next Protocol id (NTPv4 = 0), AEAD id, then 0 for C2S or 1 for S2C.
            byte[] exporterContext = {0, NtsKeRecords.PROTOCOL_NTPV4, 0, AesSivCmac256.ID, (byte) direction};
            return context.exportKeyingMaterial(EXPORTER_LABEL, exporterContext, AesSivCmac256.KEY_LENGTH);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv13.only();
        }

        @Override
        protected Vector<ProtocolName> getProtocolNames() {
            Vector<ProtocolName> names = new Vector<>(1);
            names.add(ProtocolName.NTSKE_1);
            return names;
        }

        @Override
        protected Vector<ServerName> getSNIServerNames() {
            // SNI carries DNS names only (RFC 6066 §3), never address literals.
            if (NtsTrust.isAddressLiteral(host)) {
                return null;
            }
            Vector<ServerName> names = new Vector<>(1);
            names.add(new ServerName(NameType.host_name, host.getBytes(StandardCharsets.US_ASCII)));
            return names;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    check(chain(serverCertificate.getCertificate()));
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) {
                    return null;
                }
            };
        }

        private static X509Certificate[] chain(org.bouncycastle.tls.Certificate certificate) throws IOException {
            try {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                X509Certificate[] chain = new X509Certificate[certificate.getLength()];
                for (int i = 0; i < chain.length; i++) {
                    chain[i] = (X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(certificate.getCertificateAt(i).getEncoded()));
                }
                return chain;
            } catch (CertificateException e) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, e);
            }
        }

        // The server chose the name: escaped, so it can neither drive a terminal nor forge a log line.
        private static String subject(X509Certificate certificate) {
            return Printable.of(certificate.getSubjectX500Principal().getName());
        }

        private void check(X509Certificate[] chain) throws IOException {
            if (chain.length == 0) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate,
                        new RefusedCertificate(Reason.UNTRUSTED_CERTIFICATE, "the server sent no certificate", null));
            }
            try {
                // TLS 1.3 has no key-exchange-specific auth type; the JDK's own TLS 1.3 uses this name too.
                trust.chains().checkServerTrusted(chain, "UNKNOWN");
            } catch (CertificateException e) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, new RefusedCertificate(
                        Reason.UNTRUSTED_CERTIFICATE, "certificate '" + subject(chain[0])
                        + "' does not chain to a CA in " + trust.description() + " (" + Printable.of(e.getMessage())
                        + "); for a private CA, pass its certificate as the trust file", e));
            }
            if (!NtsTrust.checkHost(chain[0], host)) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, new RefusedCertificate(Reason.HOST_MISMATCH,
                        "certificate '" + subject(chain[0]) + "' is not valid for '" + host
                        + "'; connect with a name its subject alternative names list", null));
            }
        }
    }
}
