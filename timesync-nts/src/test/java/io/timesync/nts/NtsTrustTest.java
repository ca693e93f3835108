package io.timesync.nts;

import io.timesync.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Trust files and host-name matching on certificates made by openssl. */
class NtsTrustTest {

    @TempDir
    Path temp;

    private static X509Certificate read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void namesMatchExactlyCaseInsensitivelyAndWildcardsOneLabel() throws Exception {
        TestPki pki = TestPki.create(temp.resolve("pki"), "ntp.example.net", "DNS:ntp.example.net", "DNS:*.nts.example.org",
                "IP:127.0.0.1", "IP:::1");
        X509Certificate certificate = read(pki.serverCertificate());

        assertThat(NtsTrust.checkHost(certificate, "ntp.example.net")).isTrue();
        assertThat(NtsTrust.checkHost(certificate, "NTP.Example.NET.")).isTrue();
        assertThat(NtsTrust.checkHost(certificate, "a.nts.example.org")).isTrue();
        assertThat(NtsTrust.checkHost(certificate, "127.0.0.1")).isTrue();
        assertThat(NtsTrust.checkHost(certificate, "0:0:0:0:0:0:0:1")).isTrue();

        assertThat(NtsTrust.checkHost(certificate, "example.net")).isFalse();
        assertThat(NtsTrust.checkHost(certificate, "nts.example.org")).isFalse();
        assertThat(NtsTrust.checkHost(certificate, "a.b.nts.example.org")).isFalse();
        assertThat(NtsTrust.checkHost(certificate, "127.0.0.2")).isFalse();
        // The common name alone never counts.
        TestPki cnOnly = TestPki.create(temp.resolve("cn"), "localhost", "DNS:other.example");
        assertThat(NtsTrust.checkHost(read(cnOnly.serverCertificate()), "localhost")).isFalse();
    }

    @Test
    void aTrustFileMustHoldCertificates() throws Exception {
        Path missing = temp.resolve("missing.pem");
        assertThatThrownBy(() -> NtsTrust.fromFile(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read the NTS trust file").hasMessageContaining("missing.pem");
        Path garbage = Files.writeString(temp.resolve("garbage.pem"), "not a certificate\n");
        assertThatThrownBy(() -> NtsTrust.fromFile(garbage)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BEGIN CERTIFICATE");
        Path empty = Files.writeString(temp.resolve("empty.pem"), "");
        assertThatThrownBy(() -> NtsTrust.fromFile(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no certificate");
    }

    @Test
    void aTrustFileIsDescribedByItsPath() throws Exception {
        TestPki pki = TestPki.create(temp.resolve("pki"), "localhost", "DNS:localhost");
        assertThat(NtsTrust.fromFile(pki.caCertificate()).description()).endsWith("ca.crt");
        assertThat(NtsTrust.system().description()).contains("JDK");
    }
}
