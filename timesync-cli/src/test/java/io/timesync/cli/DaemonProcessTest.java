package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.memo.JsonMemoStore;
import io.timesync.memo.Memo;
import io.timesync.testing.ChronyServer;
import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon as a real process: two real chronyd (an upstream server, and a client whose configuration
 * sits under a temporary root and which TimeSync drives), its metrics scraped over HTTP and checked by
 * the real {@code promtool}, then SIGTERM.
 */
class DaemonProcessTest {

    private static final Pattern METRICS = Pattern.compile("metrics on (http://\\S+/metrics)");

    @Test
    void runsCyclesServesValidMetricsAndStopsCleanlyOnSigterm(@TempDir Path work) throws Exception {
        Path promtool = RequiredTool.find("TIMESYNC_PROMTOOL", "promtool",
                "apt-get download prometheus and unpack it (see .ci/run), or apt-get install prometheus");
        Path root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        Path state = work.resolve("state");
        Path logs = work.resolve("logs");
        try (ChronyServer upstream = ChronyServer.start(work, 2);
             ChronyServer client = timeService(root, sources)) {
            List<String> command = daemon(root, state, logs, upstream.ipv4Server());
            Path stderr = work.resolve("stderr");
            Process daemon = new ProcessBuilder(command).redirectErrorStream(false).redirectError(stderr.toFile()).start();
            try {
                String url = awaitMetricsUrl(stderr, daemon);
                // An optimize cycle, then chronyd's tracking read every second.
                List<String> cycles = awaitLines(logs.resolve("status.jsonl"), 4, daemon);
                JsonNode first = new ObjectMapper().readTree(cycles.get(0));
                assertThat(first.get("kind").asText()).isEqualTo("optimize");
                assertThat(first.get("server").asText()).isEqualTo(upstream.ipv4Server());
                assertThat(cycles).anySatisfy(l -> assertThat(l).contains("\"kind\":\"service\""));
                assertThat(logs.resolve("status.log")).content().contains("optimize", "server=" + upstream.ipv4Server(),
                        "sync     service=chrony servers=" + upstream.ipv4Server(),
                        // chronyd's own view: after the optimize cycle configured it, its peers include the upstream.
                        "service  service=chrony state=", "peers=127.0.0.1(");
                assertThat(sources.resolve("timesync.sources")).content().contains("server 127.0.0.1 port " + upstream.port());

                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("timesync_server_offset_seconds{server=\"" + upstream.ipv4Server() + "\"}",
                        "timesync_cycles_total{kind=\"optimize\"", "timesync_agent_state{state=\"synchronized\"} 1.0");
                promtoolAccepts(promtool, metrics, work);
            } finally {
                stopWithin(daemon, Duration.ofSeconds(3), stderr);
            }
            assertThat(Files.readString(stderr)).contains("daemon in ultrafast mode", "STARTING -> SYNCHRONIZED",
                    "SYNCHRONIZED -> STOPPED");
            Memo memo = new JsonMemoStore(state).load();
            assertThat(memo.selection().servers()).containsExactly(upstream.ipv4Server());
            assertThat(memo.lastSkewNanos()).isNotNull();
            try (var files = Files.list(state)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("corrupt") || n.endsWith(".tmp"));
            }
        }
    }

    @Test
    void aDryRunMeasuresAndDecidesButChangesNothing(@TempDir Path work) throws Exception {
        Path promtool = RequiredTool.find("TIMESYNC_PROMTOOL", "promtool",
                "apt-get download prometheus and unpack it (see .ci/run), or apt-get install prometheus");
        Path root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        Path state = work.resolve("state");
        Path logs = work.resolve("logs");
        // Five seconds ahead: a step, were this not a dry run.
        try (ChronyServer upstream = ChronyServer.start(work, ChronyServer.Spec.shifted(2, "+5s"));
             ChronyServer client = timeService(root, sources)) {
            List<String> command = daemon(root, state, logs, upstream.ipv4Server(), "--dry-run", "--metrics-address", "127.0.0.2");
            Path stderr = work.resolve("stderr");
            Process daemon = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            try {
                String url = awaitMetricsUrl(stderr, daemon);
                assertThat(url).startsWith("http://127.0.0.2:");
                List<String> cycles = awaitLines(logs.resolve("status.jsonl"), 3, daemon);
                JsonNode first = new ObjectMapper().readTree(cycles.get(0));
                assertThat(first.get("kind").asText()).isEqualTo("optimize");
                assertThat(first.get("action").asText()).isEqualTo("step");
                assertThat(first.get("actionNs").asLong()).isBetween(4_900_000_000L, 5_100_000_000L);
                assertThat(first.get("outcome").asText()).isEqualTo("planned");
                assertThat(logs.resolve("status.log")).content().contains("action=step outcome=planned");

                HttpClient http = HttpClient.newHttpClient();
                String metrics = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("timesync_cycles_total{kind=\"optimize\",outcome=\"planned\"} 1.0")
                        .doesNotContain("timesync_corrections_total{");
                promtoolAccepts(promtool, metrics, work);
                // Bound to the address asked for only.
                String elsewhere = url.replace("127.0.0.2", "127.0.0.1");
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> http.send(
                        HttpRequest.newBuilder(URI.create(elsewhere)).build(), HttpResponse.BodyHandlers.ofString())))
                        .isInstanceOf(java.net.ConnectException.class);
            } finally {
                stopWithin(daemon, Duration.ofSeconds(3), stderr);
            }
            assertThat(Files.readString(stderr)).contains("(dry run: nothing is changed)");
            // Nothing written: no sources file for chronyd, no memo, no backup; chronyd was never told of the server.
            try (var files = Files.list(sources)) {
                assertThat(files).isEmpty();
            }
            assertThat(state.resolve("memo.json")).doesNotExist();
            Process chronyc = new ProcessBuilder("chronyc", "-h", client.commandSocket().toString(), "-n", "-c", "sources")
                    .redirectErrorStream(true).start();
            String listed = new String(chronyc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(chronyc.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(listed).doesNotContain(Integer.toString(upstream.port()));
        }
    }

    @Test
    void onAClockThatIsRightAnUltrafastDaemonCorrectsNothing(@TempDir Path work) throws Exception {
        RequiredTool.find("TIMESYNC_PROMTOOL", "promtool",
                "apt-get download prometheus and unpack it (see .ci/run), or apt-get install prometheus");
        Path root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        Path logs = work.resolve("logs");
        // Honest servers on the same clock: the true offset is 0, every measured one is noise.
        try (ChronyServer a = ChronyServer.start(work, 2);
             ChronyServer b = ChronyServer.start(work, 2);
             ChronyServer c = ChronyServer.start(work, 2);
             ChronyServer client = timeService(root, sources)) {
            List<String> command = daemon(root, work.resolve("state"), logs, a.ipv4Server(), "--server", b.ipv4Server(),
                    "--server", c.ipv4Server());
            Path stderr = work.resolve("stderr");
            Process daemon = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            String metrics;
            List<String> cycles;
            try {
                String url = awaitMetricsUrl(stderr, daemon);
                awaitLines(logs.resolve("status.jsonl"), 1, daemon);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
                while (System.nanoTime() < end && daemon.isAlive()) {
                    Thread.sleep(500);
                }
                assertThat(daemon.isAlive()).as(Files.readString(stderr)).isTrue();
                metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                cycles = awaitLines(logs.resolve("status.jsonl"), 1, daemon);
            } finally {
                stopWithin(daemon, Duration.ofSeconds(3), stderr);
            }
            // Its cycles ran: the optimize cycle, then chronyd's tracking read every second.
            assertThat(cycles.size()).as(String.join("\n", cycles)).isGreaterThanOrEqualTo(10);
            assertThat(metrics).contains("timesync_cycles_total{kind=\"optimize\"", "timesync_cycles_total{kind=\"service\"");
            for (String line : cycles) {
                JsonNode cycle = new ObjectMapper().readTree(line);
                assertThat(cycle.path("action").asText("none")).as(line).isEqualTo("none");
            }
            assertThat(metrics.lines().filter(l -> l.startsWith("timesync_corrections_total{"))).as(metrics)
                    .allSatisfy(l -> assertThat(l).endsWith(" 0.0"));
        }
    }

    /** chronyd as the machine's time service: its chrony.conf under {@code root}, its sources in {@code sources}. */
    static ChronyServer timeService(Path root, Path sources) throws Exception {
        ChronyServer client = ChronyServer.start(Files.createDirectories(root.resolve("run")),
                new ChronyServer.Spec(10, 10, List.of("sourcedir " + sources), null, Duration.ofSeconds(10)));
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), String.join("\n",
                "sourcedir /etc/chrony/sources.d", "bindcmdaddress /" + root.relativize(client.commandSocket()), ""));
        return client;
    }

    /** The command line of an ultrafast daemon in a JVM of its own, on {@code root}, measuring {@code server}. */
    static List<String> daemon(Path root, Path state, Path logs, String server, String... extra) {
        List<String> command = daemonProbing(root, state, logs, server, "--samples", "2", "--spacing", "20ms");
        command.addAll(List.of(extra));
        return command;
    }

    /** {@link #daemon} with the probing options {@code probing} instead of two samples 20 ms apart. */
    static List<String> daemonProbing(Path root, Path state, Path logs, String server, String... probing) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "daemon", "--mode", "ultrafast", "--root", root.toString(), "--state-dir",
                state.toString(), "--log-dir", logs.toString(), "--server", server, "--start-jitter", "0s",
                "--timeout", "300ms", "--metrics-port", "0"));
        command.addAll(List.of(probing));
        return command;
    }

    private static void promtoolAccepts(Path promtool, String metrics, Path work) throws Exception {
        Path scraped = Files.createTempFile(work, "metrics", ".txt");
        Files.writeString(scraped, metrics);
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(scraped.toFile())
                .redirectErrorStream(true).start();
        String verdict = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(verdict).isZero();
    }

    /**
     * SIGTERM, then the process must be gone within {@code bound}: a functional bound (the daemon
     * promises about a second, state saved), generous for a loaded machine, not a speed benchmark.
     */
    static void stopWithin(Process daemon, Duration bound, Path stderr) throws Exception {
        long sent = System.nanoTime();
        daemon.destroy();
        boolean ended = daemon.waitFor(10, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - sent);
        assertThat(ended).isTrue();
        assertThat(took).as(Files.readString(stderr)).isLessThan(bound);
        // SIGTERM is the clean stop that --help and the README promise: exit 0, not the JVM's 143.
        assertThat(daemon.exitValue()).as(Files.readString(stderr)).isEqualTo(ExitCode.OK);
    }

    static String awaitMetricsUrl(Path stderr, Process daemon) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && daemon.isAlive()) {
            Matcher m = METRICS.matcher(Files.exists(stderr) ? Files.readString(stderr) : "");
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no metrics address announced: " + (Files.exists(stderr) ? Files.readString(stderr) : ""));
    }

    static List<String> awaitLines(Path file, int count, Process daemon) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && daemon.isAlive()) {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file).stream()
                    .filter(l -> l.contains("\"event\":\"cycle\"")).toList() : List.of();
            if (lines.size() >= count) {
                return lines;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("fewer than " + count + " cycles in " + file);
    }
}
