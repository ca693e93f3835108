package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cadence of an ultrafast daemon with its own servers, as a real process against two real
 * chronyd: each poll sends one request per server (a run of 4 samples 2 s apart would take 6 s), so
 * it decides about every second, and on honest servers it still decides no correction.
 */
class DaemonCadenceTest {

    /** How long the decisions are counted; at one a second, a busy machine still makes half as many. */
    private static final int WATCHED_SECONDS = 20;
    private static final Pattern DECISIONS = Pattern.compile("(?m)^timesync_decision_interval_seconds_count (\\S+)$");

    @Test
    void anUltrafastDaemonWithItsOwnServersDecidesAboutEverySecondAndCorrectsNoNoise(@TempDir Path work) throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        Path logs = work.resolve("logs");
        // Honest servers on the same clock: the true offset is 0, every measured one is noise.
        try (ChronyServer a = ChronyServer.start(work, 2);
             ChronyServer b = ChronyServer.start(work, 2);
             ChronyServer client = DaemonProcessTest.timeService(root, sources)) {
            List<String> command = DaemonProcessTest.daemonProbing(root, work.resolve("state"), logs, a.ipv4Server(),
                    "--server", b.ipv4Server(), "--samples", "4", "--spacing", "2s", "--own-servers", "--dry-run");
            Path stderr = work.resolve("stderr");
            Process daemon = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            List<JsonNode> cycles;
            String metrics;
            Instant from;
            try {
                String url = DaemonProcessTest.awaitMetricsUrl(stderr, daemon);
                from = Instant.parse(measureCycles(logs, daemon, 1).get(0).get("time").asText());
                Instant until = from.plusSeconds(WATCHED_SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3L * WATCHED_SECONDS);
                while (Instant.now().isBefore(until.plusSeconds(1)) && System.nanoTime() < deadline && daemon.isAlive()) {
                    Thread.sleep(200);
                }
                assertThat(daemon.isAlive()).as(Files.readString(stderr)).isTrue();
                metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                cycles = cycles(logs);
            } finally {
                DaemonProcessTest.stopWithin(daemon, Duration.ofSeconds(3), stderr);
            }
            Instant end = from.plusSeconds(WATCHED_SECONDS);
            long decided = cycles.stream().filter(c -> c.get("kind").asText().equals("measure"))
                    .map(c -> Instant.parse(c.get("time").asText()))
                    .filter(t -> !t.isBefore(from) && t.isBefore(end)).count();
            // One poll a second: WATCHED_SECONDS decisions expected, at least half of them on a busy machine.
            assertThat(decided).as(cycles.toString()).isGreaterThanOrEqualTo(WATCHED_SECONDS / 2);
            Matcher count = DECISIONS.matcher(metrics);
            assertThat(count.find()).as(metrics).isTrue();
            assertThat(Double.parseDouble(count.group(1))).isGreaterThanOrEqualTo(WATCHED_SECONDS / 2.0);
            assertThat(Files.readString(stderr)).contains("polls every 1s (one request a poll, filtered over the last 8)");
            for (JsonNode cycle : cycles) {
                assertThat(cycle.path("action").asText("none")).as(cycle.toString()).isEqualTo("none");
            }
        }
    }

    private static List<JsonNode> cycles(Path logs) throws Exception {
        Path file = logs.resolve("status.jsonl");
        List<JsonNode> cycles = new ArrayList<>();
        if (Files.exists(file)) {
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(file)) {
                if (line.contains("\"event\":\"cycle\"")) {
                    cycles.add(json.readTree(line));
                }
            }
        }
        return cycles;
    }

    private static List<JsonNode> measureCycles(Path logs, Process daemon, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && daemon.isAlive()) {
            List<JsonNode> measured = cycles(logs).stream().filter(c -> c.get("kind").asText().equals("measure")).toList();
            if (measured.size() >= count) {
                return measured;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + count + " measure cycles in " + logs.resolve("status.jsonl"));
    }
}
