package io.timesync.nts;

import io.timesync.time.ServerAddress;
import io.timesync.nts.NtsKeException.Reason;
import io.timesync.testing.Loopback;
import io.timesync.testing.TestPki;
import io.timesync.testing.TlsKeServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A server whose certificate's name carries a terminal escape and a line break: the refusal names it escaped. */
class CertificateNameTest {

    static final String EVIL = "evil\u001b[31m\n2026-12-04T10:00:00Z state    outage -> synchronized";

    @TempDir
    Path temp;

    @Test
    void anUntrustedCertificatesNameIsEscapedInTheRefusal() throws Exception {
        TestPki evil = TestPki.create(temp.resolve("evil"), EVIL, "DNS:localhost");
        TestPki other = TestPki.create(temp.resolve("other"), "localhost", "DNS:localhost");
        try (TlsKeServer server = new TlsKeServer(evil)) {
            NtsKeClient client = new NtsKeClient(NtsTrust.fromFile(other.caCertificate()), Duration.ofSeconds(5));

            NtsKeException e = catchThrowableOfType(NtsKeException.class,
                    () -> client.establish(new ServerAddress("localhost", server.port()), Loopback.ipv4()));

            assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
            assertThat(e.getMessage()).contains("evil\\x1b[31m\\n2026-12-04T10:00:00Z state")
                    .doesNotContain("\u001b").doesNotContain("\n");
        }
    }

    @Test
    void aCertificateForAnotherNameIsEscapedInTheRefusal() throws Exception {
        TestPki evil = TestPki.create(temp.resolve("evil"), EVIL, "DNS:elsewhere.example");
        try (TlsKeServer server = new TlsKeServer(evil)) {
            NtsKeClient client = new NtsKeClient(NtsTrust.fromFile(evil.caCertificate()), Duration.ofSeconds(5));

            NtsKeException e = catchThrowableOfType(NtsKeException.class,
                    () -> client.establish(new ServerAddress("localhost", server.port()), Loopback.ipv4()));

            assertThat(e.reason()).isEqualTo(Reason.HOST_MISMATCH);
            assertThat(e.getMessage()).contains("evil\\x1b[31m\\n").doesNotContain("\u001b").doesNotContain("\n");
        }
    }
}
