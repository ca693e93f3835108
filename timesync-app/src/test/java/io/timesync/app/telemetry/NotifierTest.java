package io.timesync.app.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.timesync.agent.AgentState;
import io.timesync.agent.CycleKind;
import io.timesync.agent.CycleReport;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.select.Decision;
import io.timesync.memo.Selection;
import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Notifications to a real HTTP server and a real SMTP server (STARTTLS and AUTH required), both on loopback. */
class NotifierTest {

    private static final long MINUTE = 60_000_000_000L;
    private static final long T0 = 1_790_000_000_000_000_000L;

    static CycleReport refused(long at) {
        return new CycleReport(CycleKind.MEASURE, at, null, "192.0.2.1:123", null, 2_000_000_000_000L,
                new CorrectionPolicy.Action(CorrectionPolicy.Kind.REFUSE, 0, "skew 2000 s is beyond the panic bound"), null,
                null, CycleReport.Outcome.REFUSED, "skew 2000 s is beyond the panic bound", null, null, false);
    }

    /** A JDK HTTP server on loopback that keeps every body POSTed to /hook, answering {@code status}. */
    static HttpServer hook(List<String> bodies, int status) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    static URI url(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @Test
    void aRefusalIsPostedOnceAnIntervalAndTheNextSaysHowManyWereHeldBack() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = hook(bodies, 204);
        try {
            Notifier notifier = new Notifier(new Notifier.Settings(url(server), null, EnumSet.allOf(Notifier.Event.class),
                    Duration.ofMinutes(15)));
            notifier.cycle(refused(T0));
            notifier.cycle(refused(T0 + MINUTE));
            notifier.cycle(refused(T0 + 2 * MINUTE));
            notifier.cycle(refused(T0 + 16 * MINUTE));
            notifier.close();

            assertThat(bodies).hasSize(2);
            JsonNode first = new ObjectMapper().readTree(bodies.get(0));
            assertThat(first.get("event").asText()).isEqualTo("refused");
            assertThat(first.get("summary").asText()).isEqualTo("correction refused");
            assertThat(first.get("detail").asText()).contains("panic bound");
            assertThat(first.get("suppressed").asInt()).isZero();
            assertThat(new ObjectMapper().readTree(bodies.get(1)).get("suppressed").asInt()).isEqualTo(2);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerChangeAndEachKindOfErrorArePosted() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = hook(bodies, 200);
        try {
            Notifier notifier = new Notifier(new Notifier.Settings(url(server), null, EnumSet.allOf(Notifier.Event.class),
                    Duration.ofMinutes(15)));
            Decision switched = new Decision(List.of(), new Selection(List.of("127.0.0.1:2"), null, 0),
                    Decision.Outcome.SWITCHED, "127.0.0.1:2 beat 127.0.0.1:1 on 2 runs");
            notifier.cycle(new CycleReport(CycleKind.OPTIMIZE, T0, switched, "127.0.0.1:2", null, 1_000L,
                    new CorrectionPolicy.Action(CorrectionPolicy.Kind.NONE, 0, "within"), null, null,
                    CycleReport.Outcome.IN_SYNC, "within", null, null, false));
            notifier.cycle(new CycleReport(CycleKind.MEASURE, T0, null, "127.0.0.1:2", null, 5_000_000L,
                    new CorrectionPolicy.Action(CorrectionPolicy.Kind.SLEW, 5_000_000L, "slew"), null, null,
                    CycleReport.Outcome.CORRECTION_FAILED, "chronyc said no; the old file is back", null, null, false));
            notifier.stateChanged(AgentState.SYNCHRONIZED, AgentState.OUTAGE, "no selected server answered", T0 + 16 * MINUTE);
            notifier.close();

            assertThat(bodies).hasSize(3);
            JsonNode change = new ObjectMapper().readTree(bodies.get(0));
            assertThat(change.get("event").asText()).isEqualTo("server-change");
            assertThat(change.get("summary").asText()).isEqualTo("switched to 127.0.0.1:2");
            assertThat(change.get("detail").asText()).contains("beat 127.0.0.1:1");
            JsonNode error = new ObjectMapper().readTree(bodies.get(1));
            assertThat(error.get("event").asText()).isEqualTo("error");
            assertThat(error.get("summary").asText()).isEqualTo("correction failed");
            assertThat(error.get("detail").asText()).contains("chronyc said no");
            JsonNode outage = new ObjectMapper().readTree(bodies.get(2));
            assertThat(outage.get("event").asText()).isEqualTo("error");
            assertThat(outage.get("summary").asText()).isEqualTo("no time server usable");
            assertThat(outage.get("detail").asText()).isEqualTo("no selected server answered");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anOutageIsRateLimitedOnTheAgentsClockLikeTheCycles() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = hook(bodies, 204);
        try {
            Notifier notifier = new Notifier(new Notifier.Settings(url(server), null, EnumSet.allOf(Notifier.Event.class),
                    Duration.ofMinutes(15)));
            notifier.cycle(new CycleReport(CycleKind.MEASURE, T0, null, "127.0.0.1:2", null, 5_000_000L,
                    new CorrectionPolicy.Action(CorrectionPolicy.Kind.SLEW, 5_000_000L, "slew"), null, null,
                    CycleReport.Outcome.CORRECTION_FAILED, "chronyc said no", null, null, false));
            // A minute later on the agent's clock (T0 is long past on this machine's): within the interval.
            notifier.stateChanged(AgentState.SYNCHRONIZED, AgentState.OUTAGE, "no selected server answered", T0 + MINUTE);
            notifier.stateChanged(AgentState.OUTAGE, AgentState.SYNCHRONIZED, "measuring 127.0.0.1:2", T0 + 2 * MINUTE);
            notifier.stateChanged(AgentState.SYNCHRONIZED, AgentState.OUTAGE, "no selected server answered", T0 + 16 * MINUTE);
            notifier.close();

            assertThat(bodies).hasSize(2);
            JsonNode outage = new ObjectMapper().readTree(bodies.get(1));
            assertThat(outage.get("summary").asText()).isEqualTo("no time server usable");
            assertThat(outage.get("time").asText()).isEqualTo(java.time.Instant.ofEpochSecond(0, T0 + 16 * MINUTE).toString());
            assertThat(outage.get("suppressed").asInt()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void eventsNotAskedForAreNotSentAndFailingChannelsNeverThrow() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer failing = hook(bodies, 500);
        try {
            Notifier onlyErrors = new Notifier(new Notifier.Settings(url(failing), null, EnumSet.of(Notifier.Event.ERROR),
                    Duration.ofMinutes(15)));
            onlyErrors.cycle(refused(T0));
            onlyErrors.close();
            assertThat(bodies).isEmpty();

            Notifier notifier = new Notifier(new Notifier.Settings(url(failing), null, EnumSet.allOf(Notifier.Event.class),
                    Duration.ofMinutes(15)));
            notifier.cycle(refused(T0));
            notifier.close();
            assertThat(bodies).hasSize(1);
        } finally {
            failing.stop(0);
        }
        // Nothing listens there any more.
        Notifier unreachable = new Notifier(new Notifier.Settings(url(failing), null, EnumSet.allOf(Notifier.Event.class),
                Duration.ofMinutes(15)));
        unreachable.cycle(refused(T0));
        unreachable.close();
    }

    @Test
    void mailGoesThroughStarttlsWithAuthentication(@TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Process check = new ProcessBuilder(python.toString(), "-c", "import aiosmtpd").redirectErrorStream(true).start();
        if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
            RequiredTool.missing("python3-aiosmtpd is not installed: apt-get install python3-aiosmtpd");
        }
        Path openssl = RequiredTool.find("TIMESYNC_OPENSSL", "openssl", "apt-get install openssl");
        Process cert = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("key.pem").toString(),
                "-out", dir.resolve("cert.pem").toString()).redirectErrorStream(true).start();
        cert.getInputStream().readAllBytes();
        assertThat(cert.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Path script = dir.resolve("starttls_server.py");
        try (var in = getClass().getResourceAsStream("/smtp/starttls_server.py")) {
            Files.copy(in, script);
        }
        Path mails = Files.createDirectories(dir.resolve("mails"));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process smtp = new ProcessBuilder(python.toString(), script.toString(), Integer.toString(port),
                dir.resolve("cert.pem").toString(), dir.resolve("key.pem").toString(), mails.toString(), "agent", "s3cret")
                .redirectError(dir.resolve("smtp.err").toFile()).start();
        try (OutputStream stdin = smtp.getOutputStream()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(smtp.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as(() -> readQuietly(dir.resolve("smtp.err"))).isEqualTo("ready");

            Notifier.Mail mail = new Notifier.Mail("127.0.0.1", port, Notifier.StartTls.REQUIRED, "agent", "s3cret",
                    "timesync@example.org", List.of("ops@example.org", "oncall@example.org"), "127.0.0.1");
            Notifier notifier = new Notifier(new Notifier.Settings(null, mail, EnumSet.allOf(Notifier.Event.class),
                    Duration.ofMinutes(15)));
            notifier.cycle(refused(T0));
            notifier.close();

            Path saved = mails.resolve("0.eml");
            assertThat(saved).as(() -> readQuietly(dir.resolve("smtp.err"))).exists();
            assertThat(saved).content().contains("X-Test-Tls: True", "X-Test-Login: agent",
                    "X-Test-Rcpt: ops@example.org,oncall@example.org", "Subject: [TimeSync] ", "correction refused",
                    "panic bound", "Event: refused");

            // Without STARTTLS this server refuses the session: logged, never thrown, nothing delivered.
            Notifier clear = new Notifier(new Notifier.Settings(null, new Notifier.Mail("127.0.0.1", port,
                    Notifier.StartTls.OFF, "agent", "s3cret", "timesync@example.org", List.of("ops@example.org"),
                    null), EnumSet.allOf(Notifier.Event.class), Duration.ofMinutes(15)));
            clear.cycle(refused(T0));
            clear.close();
            try (var files = Files.list(mails)) {
                assertThat(files.filter(f -> f.toString().endsWith(".eml"))).hasSize(1);
            }
        } finally {
            smtp.destroy();
            smtp.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "";
        }
    }
}
