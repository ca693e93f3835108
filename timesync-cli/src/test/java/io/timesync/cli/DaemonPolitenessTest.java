package io.timesync.cli;

import io.timesync.time.TimeSource;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.testing.Loopback;
import io.timesync.testing.ScriptedNtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's politeness floor: an optimize interval that would poll a server more often than every
 * 64 s is refused (exit 64) before a single request is sent, unless the servers are marked as the
 * user's own, which still need a second between optimize cycles.
 */
class DaemonPolitenessTest {

    @TempDir
    Path work;

    private CliRun daemon(ScriptedNtpServer server, String... extra) {
        List<String> argv = new ArrayList<>(List.of("daemon", "--dry-run", "--mode", "ultrafast",
                "--root", work.toString(), "--state-dir", work.resolve("state").toString(), "--log-dir",
                work.resolve("logs").toString(), "--server", "127.0.0.1:" + server.port()));
        argv.addAll(List.of(extra));
        return CliRun.of(argv.toArray(String[]::new));
    }

    private static ScriptedNtpServer honest() throws Exception {
        return new ScriptedNtpServer(Loopback.ipv4(), (n, request, client, socket) -> ScriptedNtpServer.send(socket,
                ScriptedNtpServer.reply(request, NtpTimestamp.fromUnixNanos(TimeSource.system().wallClockNanos())), client));
    }

    @Test
    void anOptimizeIntervalBelow64sForPublicServersIsRefusedBeforeAnyRequest() throws Exception {
        try (ScriptedNtpServer server = honest()) {
            for (String interval : new String[] {"1s", "1ns", "63s"}) {
                CliRun run = daemon(server, "--optimize-interval", interval);
                assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
                assertThat(run.err()).contains("--optimize-interval", "at least 64s", "--own-servers", "\"ownServers\": true");
            }
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void serversMarkedAsOwnStillNeedASecondBetweenOptimizeCycles() throws Exception {
        Path config = Files.writeString(work.resolve("own.json"), "{\"ownServers\": true}");
        try (ScriptedNtpServer server = honest()) {
            for (String[] own : new String[][] {{"--own-servers"}, {"--config", config.toString()}}) {
                List<String> extra = new ArrayList<>(List.of(own));
                extra.addAll(List.of("--optimize-interval", "1ns"));
                CliRun run = daemon(server, extra.toArray(String[]::new));
                assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
                assertThat(run.err()).contains("--optimize-interval", "at least 1s").doesNotContain("64s");
            }
            assertThat(server.requests()).isZero();
        }
    }
}
