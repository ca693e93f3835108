package io.timesync.nts;

import io.timesync.time.ServerAddress;
import io.timesync.nts.NtsKeException.Reason;
import io.timesync.testing.ChronyNtsExtension;
import io.timesync.testing.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Key establishment against a real chronyd NTS-KE server on loopback. */
class NtsKeClientChronyTest {

    @RegisterExtension
    static final ChronyNtsExtension nts = new ChronyNtsExtension(8);

    private NtsKeClient client() {
        return new NtsKeClient(NtsTrust.fromFile(nts.pki().caCertificate()), Duration.ofSeconds(5));
    }

    @Test
    void establishesKeysAndEightCookiesAndLearnsTheNtpPort() throws Exception {
        NtsKeResult result = client().establish(ServerAddress.parse(nts.keServer(), 4460), Loopback.ipv4());

        assertThat(result.response().cookies()).hasSize(8).allSatisfy(c -> assertThat(c.length).isBetween(16, 256));
        assertThat(result.response().port()).isEqualTo(nts.server().port());
        assertThat(result.c2sKey()).hasSize(32);
        assertThat(result.s2cKey()).hasSize(32).isNotEqualTo(result.c2sKey());
    }

    @Test
    void everyExchangeGetsFreshKeys() throws Exception {
        ServerAddress server = ServerAddress.parse(nts.keServer(), 4460);
        NtsKeResult first = client().establish(server, Loopback.ipv4());
        NtsKeResult second = client().establish(server, Loopback.ipv4());
        assertThat(second.c2sKey()).isNotEqualTo(first.c2sKey());
        assertThat(second.response().cookies().get(0)).isNotEqualTo(first.response().cookies().get(0));
    }

    @Test
    void aCertificateFromAnUntrustedCaIsRefused() {
        NtsKeClient client = new NtsKeClient(NtsTrust.system(), Duration.ofSeconds(5));
        NtsKeException e = catchThrowableOfType(NtsKeException.class, () -> client.establish(ServerAddress.parse(nts.keServer(), 4460),
                Loopback.ipv4()));
        assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
        assertThat(e.getMessage()).contains("not trusted", "trust file");
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        // The certificate names localhost only: the address literal is not in it.
        NtsKeException e = catchThrowableOfType(NtsKeException.class, () -> client().establish(
                ServerAddress.parse("127.0.0.1:" + nts.ntsPort(), 4460), Loopback.ipv4()));
        assertThat(e.reason()).isEqualTo(Reason.HOST_MISMATCH);
        assertThat(e.getMessage()).contains("'127.0.0.1'");
    }

    @Test
    void aClosedPortIsAConnectionFailure() throws Exception {
        int closed = Loopback.freeTcpPort();
        NtsKeException e = catchThrowableOfType(NtsKeException.class, () -> client().establish(
                ServerAddress.parse("localhost:" + closed, 4460), Loopback.ipv4()));
        assertThat(e.reason()).isEqualTo(Reason.CONNECT);
    }

    @Test
    void aPlainNtpPortIsNotAnNtsKeServer() {
        // chronyd's NTP port is UDP: nothing listens on TCP there.
        NtsKeException e = catchThrowableOfType(NtsKeException.class, () -> client().establish(
                ServerAddress.parse("localhost:" + nts.server().port(), 4460), Loopback.ipv4()));
        assertThat(e.reason()).isIn(Reason.CONNECT, Reason.TLS);
    }
}
