package io.timesync.cli;

import io.timesync.testing.ChronyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code timesync rollback} after syncs that worked and one that failed, against a real chronyd (with
 * {@code -x}) whose configuration lives under a root prefix and whose sourcedir holds TimeSync's
 * sources file, and three real upstream servers; chronyd is stopped and started again in between.
 */
class RollbackCommandTest {

    private static Path root;
    private static Path work;
    private static ChronyServer serverA;
    private static ChronyServer serverB;
    private static ChronyServer serverC;
    private static ChronyServer client;

    @TempDir
    Path state;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("timesync-rollback");
        root = Files.createDirectories(work.resolve("root"));
        Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        serverA = ChronyServer.start(work, 2);
        serverB = ChronyServer.start(work, 2);
        serverC = ChronyServer.start(work, 2);
        client = startClient();
    }

    @AfterAll
    static void stop() throws Exception {
        for (ChronyServer s : new ChronyServer[] {client, serverA, serverB, serverC}) {
            if (s != null) {
                s.close();
            }
        }
    }

    // A chronyd reading the sourcedir under the root, and the chrony.conf TimeSync reads naming its socket.
    private static ChronyServer startClient() throws Exception {
        ChronyServer chronyd = ChronyServer.start(Files.createDirectories(root.resolve("run")), new ChronyServer.Spec(10, 10,
                List.of("sourcedir " + root.resolve("etc/chrony/sources.d")), null, Duration.ofSeconds(10)));
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), String.join("\n", "sourcedir /etc/chrony/sources.d",
                "bindcmdaddress /" + root.relativize(chronyd.commandSocket()), ""));
        return chronyd;
    }

    private CliRun sync(String server) {
        return CliRun.of("sync", "--json", "--root", root.toString(), "--state-dir", state.toString(), "--log-dir",
                state.resolve("logs").toString(), "--samples", "2", "--spacing", "20ms", "--timeout", "300ms", "--server", server);
    }

    private static Path sourcesFile() {
        return root.resolve("etc/chrony/sources.d/timesync.sources");
    }

    // chronyc's own answer, as an operator would ask it.
    private static String chronyc(String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("chronyc", "-h", client.commandSocket().toString(), "-n", "-c"));
        argv.addAll(List.of(command));
        Process chronyc = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(chronyc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(chronyc.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    // The port chronyd sends to for the source at 127.0.0.1.
    private static int portOf127001() throws Exception {
        return Integer.parseInt(chronyc("ntpdata", "127.0.0.1").split(",")[2]);
    }

    @Test
    void afterTwoSyncsAndAFailedOneRollbackRestoresTheFirstAndChronydUsesIt() throws Exception {
        // B on ::1 where the host has it, so that chronyd's list of addresses tells A from B.
        String b = serverB.servesIpv6() ? "[::1]:" + serverB.port() : serverB.ipv4Server();
        CliRun syncA = sync(serverA.ipv4Server());
        assertThat(syncA.exitCode()).as(syncA.err()).isEqualTo(ExitCode.OK);
        String fileA = Files.readString(sourcesFile());
        assertThat(fileA).contains("server 127.0.0.1 port " + serverA.port() + " iburst");
        CliRun syncB = sync(b);
        assertThat(syncB.exitCode()).as(syncB.err()).isEqualTo(ExitCode.OK);
        String fileB = Files.readString(sourcesFile());
        assertThat(fileB).contains(" port " + serverB.port() + " iburst");

        client.close();
        CliRun failed = sync(serverC.ipv4Server());
        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(ExitCode.CORRECTION_FAILED);
        assertThat(failed.err()).contains("reload sources failed").contains("was restored, but reloading chronyd failed too")
                .doesNotContain("RESTORING");
        assertThat(sourcesFile()).hasContent(fileB);
        client = startClient();

        CliRun rollback = CliRun.of("rollback", "--root", root.toString());
        assertThat(rollback.exitCode()).as(rollback.err()).isEqualTo(ExitCode.OK);
        assertThat(rollback.out()).startsWith("Restored " + root.resolve("var/lib/timesync/backups/timesync.sources."));
        assertThat(sourcesFile()).hasContent(fileA);
        String sources = chronyc("sources");
        assertThat(sources).contains(",127.0.0.1,");
        if (serverB.servesIpv6()) {
            assertThat(sources).doesNotContain(",::1,");
        }
        assertThat(portOf127001()).isEqualTo(serverA.port());

        // A's address on another port: chronyd keys its sources by address, and still the port changes.
        CliRun otherPort = sync(serverC.ipv4Server());
        assertThat(otherPort.exitCode()).as(otherPort.err()).isEqualTo(ExitCode.OK);
        assertThat(sourcesFile()).content().contains("server 127.0.0.1 port " + serverC.port() + " iburst");
        assertThat(portOf127001()).isEqualTo(serverC.port());
    }
}
