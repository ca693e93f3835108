package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.testing.ChronyExtension;
import io.timesync.testing.ChronyNtsExtension;
import io.timesync.testing.ChronyServer;
import io.timesync.testing.Loopback;
import io.timesync.testing.SlowTcpRelay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sync --require-nts} end to end: TimeSync authenticates a real chronyd NTS server, writes it
 * as an {@code nts} source for the "system" chronyd (a real one under a root prefix that trusts the
 * test CA), and that chronyd then runs NTS key establishment with the server by itself.
 */
class NtsSyncCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ChronyNtsExtension NTS = new ChronyNtsExtension(2);

    @RegisterExtension
    static final ChronyExtension PLAIN = new ChronyExtension(2);

    private static Path work;
    private static Path root;
    private static ChronyServer client;

    @TempDir
    Path state;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("timesync-nts-sync");
        root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        client = ChronyServer.start(Files.createDirectories(root.resolve("run")), new ChronyServer.Spec(10, 10,
                List.of("sourcedir " + sources, "ntstrustedcerts " + NTS.pki().caCertificate(), "nosystemcert"),
                null, Duration.ofSeconds(10)));
        String socket = "/" + root.relativize(client.commandSocket());
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), String.join("\n",
                "sourcedir /etc/chrony/sources.d", "bindcmdaddress " + socket, ""));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void aTricklingNtsServerDoesNotHoldUpADryRunWithAHealthyPlainServer() throws Exception {
        // Behind the box, chronyd's NTS-KE answers one byte every 2 s: without a deadline, over an hour.
        try (SlowTcpRelay slow = new SlowTcpRelay(new InetSocketAddress(Loopback.ipv4(), NTS.ntsPort()), Duration.ofSeconds(2))) {
            long start = System.nanoTime();
            CliRun run = CliRun.of("sync", "--json", "--dry-run", "--root", root.toString(), "--state-dir", state.toString(),
                    "--log-dir", state.resolve("log").toString(), "--samples", "2", "--spacing", "20ms",
                    "--server", PLAIN.server().ipv4Server(), "--nts", "localhost:" + slow.port(),
                    "--nts-trust", NTS.pki().caCertificate().toString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(ExitCode.OK);
            assertThat(JSON.readTree(run.out()).get("selection").get("selected")).singleElement()
                    .satisfies(k -> assertThat(k.asText()).isEqualTo(PLAIN.server().ipv4Server()));
            assertThat(run.out()).contains("NTS key establishment failed [timeout]");
            // The key establishment's 5 s deadline, and a generous margin for a loaded machine.
            assertThat(took).isLessThan(Duration.ofSeconds(12));
        }
    }

    @Test
    void theServerThatPassedNtsBecomesAnNtsSourceOfChronyd() throws Exception {
        CliRun run = CliRun.of("sync", "--json", "--root", root.toString(), "--state-dir", state.toString(),
                "--log-dir", state.resolve("log").toString(), "--samples", "2", "--spacing", "20ms", "--require-nts", "--server", PLAIN.server().ipv4Server(),
                "--nts", NTS.keServer(), "--nts-trust", NTS.pki().caCertificate().toString());
        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(ExitCode.OK);
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("selection").get("selected")).singleElement()
                .satisfies(k -> assertThat(k.asText()).isEqualTo("127.0.0.1:" + NTS.server().port()));
        assertThat(doc.get("applied").asBoolean()).isTrue();
        Path sourcesFile = root.resolve("etc/chrony/sources.d/timesync.sources");
        assertThat(sourcesFile).content().endsWith("server localhost nts ntsport " + NTS.ntsPort() + " iburst\n");

        // chronyd itself now authenticates the server: its NTS key establishment gives it cookies.
        String authdata = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Process chronyc = new ProcessBuilder("chronyc", "-h", client.commandSocket().toString(), "-c", "-n", "authdata")
                    .redirectErrorStream(true).start();
            authdata = new String(chronyc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            chronyc.waitFor(10, TimeUnit.SECONDS);
            if (authdata.lines().anyMatch(l -> l.contains(",NTS,") && !l.endsWith(",0,0"))) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(authdata).as(client.log()).contains(",NTS,");
        String line = authdata.lines().filter(l -> l.contains(",NTS,")).findFirst().orElseThrow();
        String[] f = line.split(",");
        // Name,Mode,KeyID,Type,KLen,Last,Atmp,NAK,Cook,CLen: chronyd holds cookies from our server.
        assertThat(Integer.parseInt(f[8])).as(line).isPositive();
    }
}
