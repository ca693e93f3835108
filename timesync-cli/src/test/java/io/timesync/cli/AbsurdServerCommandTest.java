package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.time.TimeSource;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.testing.ChronyServer;
import io.timesync.testing.Loopback;
import io.timesync.testing.ScriptedNtpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real UDP server on loopback that claims stratum 1 with a root delay and dispersion of 65535 s
 * and serves a time 500 s ahead: {@code first-reachable} never selects it and {@code sync} plans no
 * step to it, as strategy best never did. {@code sync} runs against a real chronyd ({@code -x}) under
 * a root prefix.
 */
class AbsurdServerCommandTest {

    /** 65535 s in NTP short format. */
    private static final int ABSURD = 0xFFFF0000;
    private static final long AHEAD = 500_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static Path root;
    private static ChronyServer client;
    private static ScriptedNtpServer absurd;
    private static ScriptedNtpServer honest;

    @TempDir
    Path state;

    @BeforeAll
    static void start() throws Exception {
        absurd = new ScriptedNtpServer(Loopback.ipv4(), (n, request, to, socket) -> ScriptedNtpServer.send(socket,
                ScriptedNtpServer.reply(request, NtpTimestamp.fromUnixNanos(TimeSource.system().wallClockNanos() + AHEAD),
                        1, ABSURD, ABSURD), to));
        honest = new ScriptedNtpServer(Loopback.ipv4(), (n, request, to, socket) -> ScriptedNtpServer.send(socket,
                ScriptedNtpServer.reply(request, NtpTimestamp.fromUnixNanos(TimeSource.system().wallClockNanos())), to));
        work = Files.createTempDirectory("timesync-absurd");
        root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        client = ChronyServer.start(Files.createDirectories(root.resolve("run")),
                new ChronyServer.Spec(10, 10, List.of("sourcedir " + sources), null, Duration.ofSeconds(10)));
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), String.join("\n", "sourcedir /etc/chrony/sources.d",
                "bindcmdaddress /" + root.relativize(client.commandSocket()), ""));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {client, absurd, honest}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private CliRun run(String command, String... args) {
        List<String> argv = new ArrayList<>(List.of(command, "--json", "--strategy", "first-reachable", "--samples", "2",
                "--spacing", "20ms", "--timeout", "300ms", "--state-dir", state.toString()));
        argv.addAll(List.of(args));
        return CliRun.of(argv.toArray(String[]::new));
    }

    private static String key(ScriptedNtpServer server) {
        return "127.0.0.1:" + server.port();
    }

    @Test
    void firstReachableNeverSelectsIt() throws Exception {
        CliRun both = run("optimize", "--server", key(absurd), "--server", key(honest));
        assertThat(both.exitCode()).as(both.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = JSON.readTree(both.out());
        assertThat(doc.get("selected")).hasSize(1);
        assertThat(doc.get("selected").get(0).asText()).isEqualTo(key(honest));
        assertThat(doc.get("servers")).anySatisfy(row -> {
            assertThat(row.get("port").asInt()).isEqualTo(absurd.port());
            assertThat(row.get("verdict").asText()).isEqualTo("root-distance");
        });

        CliRun alone = run("optimize", "--server", key(absurd));
        assertThat(alone.exitCode()).as(alone.out()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(JSON.readTree(alone.out()).get("selected")).isEmpty();
    }

    @Test
    void syncPlansNoStepToIt() throws Exception {
        CliRun alone = run("sync", "--dry-run", "--root", root.toString(), "--log-dir", state.resolve("logs").toString(),
                "--server", key(absurd));
        assertThat(alone.exitCode()).as(alone.err()).isEqualTo(ExitCode.NO_SERVER);
        JsonNode doc = JSON.readTree(alone.out());
        assertThat(doc.get("plan")).isEmpty();
        assertThat(doc.get("action").isNull()).isTrue();
        assertThat(alone.err()).contains("no candidate answered validly and passed the sanity checks");

        CliRun both = run("sync", "--dry-run", "--root", root.toString(), "--log-dir", state.resolve("logs").toString(),
                "--server", key(absurd), "--server", key(honest));
        assertThat(both.exitCode()).as(both.err()).isEqualTo(ExitCode.OK);
        JsonNode planned = JSON.readTree(both.out());
        assertThat(planned.get("selection").get("selected").get(0).asText()).isEqualTo(key(honest));
        assertThat(planned.get("action").get("kind").asText()).isNotEqualTo("step");
        assertThat(planned.get("plan")).noneSatisfy(step -> assertThat(step.get("kind").asText()).isEqualTo("step"));
        assertThat(Math.abs(planned.get("skewNs").asLong())).isLessThan(1_000_000_000L);
    }
}
