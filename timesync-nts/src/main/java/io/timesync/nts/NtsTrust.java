package io.timesync.nts;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Which certificates an NTS-KE server may present: the JDK's trust store, or the CAs of one PEM
 * file (for private CAs, as chrony's {@code ntstrustedcerts}). The chain is checked by the JDK's
 * PKIX trust manager; the host name by {@link #checkHost}, so that each failure has its own
 * {@link NtsKeException.Reason}.
 */
public final class NtsTrust {

    private final X509TrustManager chains;
    private final String description;

    private NtsTrust(X509TrustManager chains, String description) {
        this.chains = chains;
        this.description = description;
    }

    /** The JDK's default trust store (the public CAs). */
    public static NtsTrust system() {
        try {
            return new NtsTrust(trustManager(null), "the JDK's trust store");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's trust store cannot be loaded", e);
        }
    }

    /**
     * The certificates in {@code file} (PEM or DER, one or more) as the only trust anchors.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static NtsTrust fromFile(Path file) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the NTS trust file " + file + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the NTS trust file " + file + " holds no readable X.509 certificate"
                    + " (expected PEM 'BEGIN CERTIFICATE' blocks): " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("the NTS trust file " + file + " holds no certificate"
                    + " (expected PEM 'BEGIN CERTIFICATE' blocks)");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            return new NtsTrust(trustManager(store), file.toString());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the NTS trust file " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** Where the trust anchors come from, for messages. */
    public String description() {
        return description;
    }

    /** The chain check (no host name check): the JDK's PKIX trust manager over these anchors. */
    X509TrustManager chains() {
        return chains;
    }

    /**
     * Whether {@code certificate} names {@code host}: an IP literal must be an IP address entry of its
     * subject alternative names, a DNS name must match a DNS entry (case-insensitively; a leading
     * {@code *} matches exactly one label). The common name is not consulted (RFC 6125 §6.4.4, as
     * browsers do).
     */
    static boolean checkHost(X509Certificate certificate, String host) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names == null) {
            return false;
        }
        boolean literal = isAddressLiteral(host);
        for (List<?> entry : names) {
            int type = (Integer) entry.get(0);
            String value = String.valueOf(entry.get(1));
            if (literal && type == 7 && sameAddress(host, value)) {
                return true;
            }
            if (!literal && type == 2 && dnsMatches(value, host)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a (validated) host is an IPv4 or IPv6 literal rather than a DNS name. */
    static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // Both are literals (one from the validated server name, one from the certificate): parsed, never looked up.
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    private static boolean dnsMatches(String pattern, String host) {
        String p = trimDot(pattern.toLowerCase(Locale.ROOT));
        String h = trimDot(host.toLowerCase(Locale.ROOT));
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot + 1).equals(p.substring(2)) && p.indexOf('*', 1) < 0;
        }
        return p.equals(h);
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }
}
