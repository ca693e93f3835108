package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.app.config.Configuration;
import io.timesync.testing.ChronyExtension;
import io.timesync.testing.ChronyNtsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code optimize} and {@code status} with a real chronyd NTS server (stratum 2) beside a real plain
 * one (stratum 1, which usually scores higher) on loopback.
 */
class NtsSelectionCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ChronyNtsExtension NTS = new ChronyNtsExtension(2);

    @RegisterExtension
    static final ChronyExtension PLAIN = new ChronyExtension(1);

    @TempDir
    Path state;

    private String ntsKey() {
        return "127.0.0.1:" + NTS.server().port();
    }

    private CliRun optimize(String... more) {
        String[] base = {"optimize", "--json", "--samples", "2", "--spacing", "20ms", "--state-dir", state.toString(),
            "--nts-trust", NTS.pki().caCertificate().toString(), "--server", PLAIN.server().ipv4Server()};
        String[] argv = new String[base.length + more.length];
        System.arraycopy(base, 0, argv, 0, base.length);
        System.arraycopy(more, 0, argv, base.length, more.length);
        return CliRun.of(argv);
    }

    @Test
    void theNtsServerIsPrimaryAndStatusShowsItAuthenticated() throws Exception {
        CliRun run = optimize("--nts", NTS.keServer());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("selected").get(0).asText()).isEqualTo(ntsKey());
        assertThat(doc.get("selected")).hasSize(2);
        JsonNode nts = null;
        JsonNode plain = null;
        for (JsonNode row : doc.get("servers")) {
            if (row.get("server").asText().equals("localhost")) {
                nts = row;
            } else {
                plain = row;
            }
        }
        assertThat(nts.get("authenticated").asBoolean()).isTrue();
        assertThat(plain.get("authenticated").asBoolean()).isFalse();
        // Whatever the scores (NtsSelectionTest shows the plain one winning on score losing the lead).
        assertThat(doc.get("selected").get(1).asText()).isEqualTo(PLAIN.server().ipv4Server());

        Path sessions = state.resolve(Configuration.SESSIONS_FILE);
        assertThat(Files.getPosixFilePermissions(sessions)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        CliRun status = CliRun.of("status", "--state-dir", state.toString());
        assertThat(status.exitCode()).as(status.err()).isEqualTo(ExitCode.OK);
        assertThat(status.out()).contains("Selected: " + ntsKey() + " (NTS), " + PLAIN.server().ipv4Server())
                .contains("NTS: " + ntsKey() + " has a session through " + NTS.keServer());
        JsonNode statusJson = JSON.readTree(CliRun.of("status", "--json", "--state-dir", state.toString()).out());
        assertThat(statusJson.get("nts").get(0).get("server").asText()).isEqualTo(ntsKey());
    }

    @Test
    void requireNtsRejectsThePlainServerAndNeedsAnAuthenticatedOne() throws Exception {
        CliRun run = optimize("--require-nts");
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        JsonNode row = JSON.readTree(run.out()).get("servers").get(0);
        assertThat(row.get("verdict").asText()).isEqualTo("unauthenticated");
        assertThat(row.get("reason").asText()).contains("NTS");

        CliRun withNts = optimize("--require-nts", "--nts", NTS.keServer());
        assertThat(withNts.exitCode()).as(withNts.err()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(withNts.out()).get("selected")).singleElement()
                .satisfies(k -> assertThat(k.asText()).isEqualTo(ntsKey()));
    }

    @Test
    void aDryRunKeepsNoSessionOnDisk() throws Exception {
        CliRun run = optimize("--dry-run", "--nts", NTS.keServer());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(run.out()).get("selected").get(0).asText()).isEqualTo(ntsKey());
        assertThat(state.resolve(Configuration.SESSIONS_FILE)).doesNotExist();
    }

    @Test
    void aServerMarkedNtsInTheConfigurationIsMeasuredOverNts() throws Exception {
        Path config = Files.writeString(state.resolve("timesync.json"), JSON.writeValueAsString(JSON.createObjectNode()
                .put("ntsTrust", NTS.pki().caCertificate().toString())
                .set("servers", JSON.createArrayNode().add(PLAIN.server().ipv4Server())
                        .add(JSON.createObjectNode().put("host", NTS.keServer()).put("nts", true)))));
        CliRun run = CliRun.of("optimize", "--json", "--samples", "2", "--spacing", "20ms", "--state-dir", state.toString(),
                "--config", config.toString(), "--require-nts");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("selected")).singleElement().satisfies(k -> assertThat(k.asText()).isEqualTo(ntsKey()));
        JsonNode nts = null;
        for (JsonNode row : doc.get("servers")) {
            if (row.get("server").asText().equals("localhost")) {
                nts = row;
            }
        }
        assertThat(nts).as(run.out()).isNotNull();
        assertThat(nts.get("authenticated").asBoolean()).isTrue();
        assertThat(nts.get("port").asInt()).isEqualTo(NTS.server().port());
        // The configuration's plain server was probed too, and rejected only for lacking NTS.
        assertThat(doc.get("servers").toString()).contains("unauthenticated");
    }

    @Test
    void firstReachableTriesNtsServersFirst() throws Exception {
        CliRun run = optimize("--strategy", "first-reachable", "--nts", NTS.keServer());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(run.out()).get("selected").get(0).asText()).isEqualTo(ntsKey());
    }
}
