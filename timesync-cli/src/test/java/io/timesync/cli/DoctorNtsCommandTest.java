package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.nts.NtsKeClient;
import io.timesync.testing.ChronyNtsExtension;
import io.timesync.testing.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.timesync.cli.DoctorCommandTest.check;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code timesync doctor} with NTS servers from the configuration, end to end: a real chronyd that
 * is the system's time service and an NTS server on loopback (self-signed CA), real DNS for localhost.
 */
class DoctorNtsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ChronyNtsExtension NTS = new ChronyNtsExtension(8);

    @TempDir
    Path dir;

    private CliRun doctor(Path root, String config) throws IOException {
        Path file = Files.writeString(dir.resolve("timesync.json"), config);
        List<String> args = new ArrayList<>(List.of("doctor", "--json", "--root", root.toString(), "--state-dir",
                dir.resolve("state").toString(), "--samples", "2", "--spacing", "50ms", "--timeout", "500ms",
                "--config", file.toString()));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static String quoted(Object value) {
        return JSON.valueToTree(value.toString()).toString();
    }

    @Test
    void anNtsOnlyConfigurationIsResolvedAndAuthenticated() throws Exception {
        CliRun run = doctor(ChronyRoot.create(dir.resolve("root"), NTS.server()),
                "{\"servers\": [{\"host\": " + quoted(NTS.keServer()) + ", \"nts\": true}], \"ntsTrust\": "
                        + quoted(NTS.pki().caCertificate()) + "}");
        JsonNode doc = JSON.readTree(run.out());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(doc.get("checks")).extracting(c -> c.get("id").asText()).containsExactly("privileges", "time-service",
                "synchronised", "dns", "ntp", "nts", "state-dir", "log-dir", "lock", "leap", "offset");
        assertThat(check(doc, "dns").get("detail").asText()).contains("localhost -> 127.0.0.1");
        assertThat(check(doc, "ntp").get("status").asText()).isEqualTo("skip");
        assertThat(check(doc, "ntp").get("detail").asText()).contains("only NTS servers");
        JsonNode nts = check(doc, "nts");
        assertThat(nts.get("status").asText()).as(nts.toString()).isEqualTo("pass");
        // The NTP server that key establishment named: chronyd's own NTP port.
        assertThat(nts.get("detail").asText()).contains(NTS.keServer() + " -> 127.0.0.1:" + NTS.server().port()
                + " stratum 8");
        assertThat(dir.resolve("state")).as("doctor creates nothing").doesNotExist();
    }

    @Test
    void anUntrustedCertificateFailsAndPointsAtTheTrustFile() throws Exception {
        CliRun run = doctor(ChronyRoot.create(dir.resolve("root"), NTS.server()),
                "{\"nts\": [" + quoted(NTS.keServer()) + "], \"servers\": []}");
        JsonNode nts = check(JSON.readTree(run.out()), "nts");
        assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(nts.get("status").asText()).isEqualTo("fail");
        assertThat(nts.get("detail").asText()).contains("[untrusted_certificate]", "not trusted");
        assertThat(nts.get("fix").asText()).contains("ntsTrust", "--nts-trust");
    }

    @Test
    void aKeyEstablishmentPortThatTakesNoConnectionNamesTcp4460AndTheFirewall() throws Exception {
        Path root = ChronyRoot.create(dir.resolve("root"), NTS.server());
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.writeString(root.resolve("usr/sbin/nft"), "");
        // Nothing listens on loopback at the default NTS-KE port: refused, as a rejecting firewall does.
        new ServerSocket(NtsKeClient.DEFAULT_PORT, 1, Loopback.ipv4()).close();
        CliRun run = doctor(root, "{\"servers\": [{\"host\": \"localhost\", \"nts\": true}], \"ntsTrust\": "
                + quoted(NTS.pki().caCertificate()) + "}");
        JsonNode nts = check(JSON.readTree(run.out()), "nts");
        assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(nts.get("status").asText()).isEqualTo("fail");
        assertThat(nts.get("detail").asText()).contains("although DNS works", "TCP to port 4460", "[connect]");
        assertThat(nts.get("fix").asText()).startsWith("nftables: list its rules with 'nft list ruleset'")
                .contains("let NTS key establishment out with 'nft insert rule inet filter output tcp dport 4460 accept");
    }

    @Test
    void plainServersThatAnswerMakeAFailingNtsServerAWarning() throws Exception {
        int closed = Loopback.freeTcpPort();
        CliRun run = doctor(ChronyRoot.create(dir.resolve("root"), NTS.server()),
                "{\"servers\": [" + quoted(NTS.server().ipv4Server()) + ", {\"host\": \"localhost:" + closed
                        + "\", \"nts\": true}]}");
        JsonNode doc = JSON.readTree(run.out());
        assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCode.WARNINGS);
        assertThat(check(doc, "ntp").get("status").asText()).isEqualTo("pass");
        JsonNode nts = check(doc, "nts");
        assertThat(nts.get("status").asText()).isEqualTo("warn");
        assertThat(nts.get("detail").asText()).contains("TCP to port " + closed, "time without authentication");
    }
}
