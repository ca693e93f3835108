package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.testing.ChronyNtsExtension;
import io.timesync.testing.OffsetBound;
import io.timesync.testing.Loopback;
import io.timesync.testing.SlowTcpRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code timesync probe --nts} in-process against a real chronyd NTS server on loopback. */
class ProbeNtsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ChronyNtsExtension NTS = new ChronyNtsExtension(8);

    @TempDir
    Path temp;

    @Test
    void ntsProbeIsAuthenticatedAndPlainIsNot() throws Exception {
        CliRun run = CliRun.of("probe", "--json", "--samples", "2", "--spacing", "20ms", "--nts", NTS.keServer(),
                "--nts-trust", NTS.pki().caCertificate().toString(), NTS.server().ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode servers = JSON.readTree(run.out()).get("servers");
        assertThat(servers).hasSize(2);
        JsonNode plain = servers.get(0);
        JsonNode nts = servers.get(1);
        assertThat(plain.get("authenticated").asBoolean()).isFalse();
        assertThat(nts.get("authenticated").asBoolean()).isTrue();
        assertThat(nts.get("server").asText()).isEqualTo("localhost");
        assertThat(nts.get("port").asInt()).isEqualTo(NTS.server().port());
        OffsetBound.assertWithin(nts.get("offsetNs").asLong(), JsonSamples.of(nts), 0, "probe --nts --json");
        assertThat(nts.get("samples")).hasSize(2);
    }

    @Test
    void aTricklingNtsServerFailsAloneAndTheRunEndsWithinTwelveSeconds() throws Exception {
        // Behind the box, chronyd's NTS-KE answers one byte every 2 s: without a deadline, over an hour.
        try (SlowTcpRelay slow = new SlowTcpRelay(new InetSocketAddress(Loopback.ipv4(), NTS.ntsPort()), Duration.ofSeconds(2))) {
            long start = System.nanoTime();
            CliRun run = CliRun.of("probe", "--nts", "localhost:" + slow.port(), "--nts-trust",
                    NTS.pki().caCertificate().toString(), NTS.server().ipv4Server());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
            assertThat(took).isLessThan(Duration.ofSeconds(12));
            String[] lines = run.out().split("\n");
            assertThat(lines[1]).startsWith("127.0.0.1").contains(" 8 ").contains("none");
            assertThat(lines[2]).startsWith("localhost").contains("NTS key establishment failed [timeout]",
                    "within the deadline of 5000 ms");
        }
    }

    @Test
    void theTableMarksAuthenticatedServers() {
        CliRun run = CliRun.of("probe", "--samples", "1", "--nts", NTS.keServer(), "--nts-trust",
                NTS.pki().caCertificate().toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out().split("\n")[1]).startsWith("localhost").contains("NTS-authenticated");
    }

    @Test
    void anUntrustedCertificateIsNoServerAndSaysSo() {
        CliRun run = CliRun.of("probe", "--samples", "1", "--nts", NTS.keServer());
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(run.err()).contains("NTS key establishment failed", "not trusted", "trust file");
    }

    @Test
    void aBadTrustFileIsAUsageError() throws Exception {
        Path bogus = Files.writeString(temp.resolve("bogus.pem"), "hello\n");
        CliRun run = CliRun.of("probe", "--nts", NTS.keServer(), "--nts-trust", bogus.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("bogus.pem", "BEGIN CERTIFICATE");
    }

    @Test
    void probeNeedsAServerOfSomeKind() {
        CliRun run = CliRun.of("probe");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("SERVER[:PORT]", "--nts");
    }

    @Test
    void anInvalidNtsHostIsAUsageError() {
        CliRun run = CliRun.of("probe", "--nts", "bad host;rm");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("invalid host name");
    }
}
