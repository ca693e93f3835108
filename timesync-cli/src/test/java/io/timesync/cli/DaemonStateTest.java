package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.memo.JsonMemoStore;
import io.timesync.memo.Memo;
import io.timesync.memo.Selection;
import io.timesync.testing.ChronyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's hold on its state, as real processes on a real chronyd under a temporary root: one
 * daemon per state directory and per configuration, and a state that cannot be written is said so
 * everywhere while the daemon goes on from what it configured.
 */
class DaemonStateTest {

    @Test
    void aSecondDaemonExitsNamingTheFirstWhetherItSharesTheStateOrOnlyTheConfiguration(@TempDir Path work) throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        Path state = work.resolve("state");
        Path logs = work.resolve("logs");
        try (ChronyServer upstream = ChronyServer.start(work, 2);
             ChronyServer client = DaemonProcessTest.timeService(root, sources)) {
            Path stderr = work.resolve("stderr");
            Process first = new ProcessBuilder(DaemonProcessTest.daemon(root, state, logs, upstream.ipv4Server()))
                    .redirectError(stderr.toFile()).start();
            try {
                DaemonProcessTest.awaitMetricsUrl(stderr, first);

                CliRun sameState = exited(DaemonProcessTest.daemon(root, state, work.resolve("logs2"), upstream.ipv4Server()));
                CliRun sameConfiguration = exited(DaemonProcessTest.daemon(root, work.resolve("state2"), work.resolve("logs3"),
                        upstream.ipv4Server()));

                assertThat(sameState.exitCode()).as(sameState.err()).isEqualTo(ExitCode.ALREADY_RUNNING);
                assertThat(sameState.err()).contains("another TimeSync daemon is running", state.resolve("daemon.lock").toString(),
                        "pid " + first.pid() + ", started ", "another --state-dir");
                assertThat(sameConfiguration.exitCode()).as(sameConfiguration.err()).isEqualTo(ExitCode.ALREADY_RUNNING);
                assertThat(sameConfiguration.err()).contains(root.resolve("var/lib/timesync/chrony.lock").toString(),
                        "pid " + first.pid() + ", started ", "same chrony configuration");
                // Neither wrote anything: no log, no memo of their own.
                assertThat(work.resolve("logs2")).doesNotExist();
                assertThat(work.resolve("state2").resolve("memo.json")).doesNotExist();
            } finally {
                DaemonProcessTest.stopWithin(first, Duration.ofSeconds(3), stderr);
            }
            // Gone with its process: the next daemon starts.
            Path stderr2 = work.resolve("stderr2");
            Process next = new ProcessBuilder(DaemonProcessTest.daemon(root, work.resolve("state2"), logs, upstream.ipv4Server()))
                    .redirectError(stderr2.toFile()).start();
            try {
                DaemonProcessTest.awaitMetricsUrl(stderr2, next);
            } finally {
                DaemonProcessTest.stopWithin(next, Duration.ofSeconds(3), stderr2);
            }
        }
    }

    @Test
    void aStateThatCannotBeWrittenIsLoggedCountedAndTheNewSelectionIsKept(@TempDir Path work) throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        Path state = work.resolve("state");
        Path logs = work.resolve("logs");
        // An older memo selected another server; then the state stopped being writable, even for root.
        String old = "127.0.0.1:9";
        new JsonMemoStore(state).update(m -> Memo.EMPTY.withSelection(new Selection(List.of(old), null, 0)));
        Files.delete(state.resolve("memo.lock"));
        Files.createDirectory(state.resolve("memo.lock"));
        try (ChronyServer upstream = ChronyServer.start(work, 2);
             ChronyServer client = DaemonProcessTest.timeService(root, sources)) {
            Path stderr = work.resolve("stderr");
            Process daemon = new ProcessBuilder(DaemonProcessTest.daemon(root, state, logs, upstream.ipv4Server()))
                    .redirectError(stderr.toFile()).start();
            try {
                String url = DaemonProcessTest.awaitMetricsUrl(stderr, daemon);
                List<String> cycles = DaemonProcessTest.awaitLines(logs.resolve("status.jsonl"), 2, daemon);
                JsonNode first = new ObjectMapper().readTree(cycles.get(0));
                assertThat(first.get("server").asText()).isEqualTo(upstream.ipv4Server());
                assertThat(first.get("memoNotWritten").asText()).contains("memo.lock", "not a regular file");
                assertThat(sources.resolve("timesync.sources")).content().contains("server 127.0.0.1 port " + upstream.port());
                assertThat(logs.resolve("status.log")).content().contains("memo     not written, kept in memory: ");
                assertThat(Files.readAllLines(logs.resolve("status.jsonl"))).anySatisfy(l -> assertThat(l)
                        .contains("\"event\":\"memo\"", "\"written\":false"));
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).containsPattern("timesync_state_write_failures_total [1-9]");
                assertThat(Files.readString(stderr)).contains("cannot write the memo, keeping it in memory");
            } finally {
                DaemonProcessTest.stopWithin(daemon, Duration.ofSeconds(3), stderr);
            }
        }
        // The file was never written: it still names the old server.
        assertThat(new JsonMemoStore(state).load().selection().servers()).containsExactly(old);
    }

    @Test
    void aStateDirectoryWhoseLockIsALinkIsRefusedAndNothingIsCreatedWhereItPoints(@TempDir Path work) throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        Path state = Files.createDirectories(work.resolve("state"));
        Path elsewhere = work.resolve("elsewhere");
        Files.createSymbolicLink(state.resolve("daemon.lock"), elsewhere);
        try (ChronyServer upstream = ChronyServer.start(work, 2);
             ChronyServer client = DaemonProcessTest.timeService(root, sources)) {
            CliRun run = exited(DaemonProcessTest.daemon(root, state, work.resolve("logs"), upstream.ipv4Server()));

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.CANNOT_WRITE);
            assertThat(run.err()).contains("daemon.lock", "symbolic link");
        }
        assertThat(elsewhere).doesNotExist();
    }

    /** Runs a daemon that must exit at once; its stderr is {@link CliRun#err()}. */
    private static CliRun exited(List<String> command) throws Exception {
        Path output = Files.createTempFile("daemon", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the daemon did not exit:\n" + Files.readString(output));
            }
            return new CliRun(p.exitValue(), "", Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
