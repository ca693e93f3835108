package io.timesync.app.telemetry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.timesync.agent.AgentState;
import io.timesync.agent.CycleKind;
import io.timesync.agent.CycleReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text from outside (a server's detail, a receiver's reply) on its way to status.log and the logs:
 * escaped, never a control character, never a forged line; and a webhook's secret never logged.
 */
class UntrustedTelemetryTextTest {

    private static final long T0 = 1_790_000_000_000_000_000L;
    private static final String FORGED = "\u001b[2J\n2026-12-04T10:00:00Z state    outage -> synchronized (all good)";

    @TempDir
    Path temp;

    @Test
    void aStatusLogLineCannotBeForgedByWhatAServerSaid() throws Exception {
        try (TelemetryLog log = TelemetryLog.open(temp)) {
            log.cycle(new CycleReport(CycleKind.MEASURE, T0, null, null, null, null, null, null, null,
                    CycleReport.Outcome.NO_SOURCE, "no selected server answered: 192.0.2.1:123: kiss" + FORGED, null, null,
                    false));
            log.stateChanged(AgentState.SYNCHRONIZED, AgentState.OUTAGE, "reason" + FORGED, T0);
        }
        List<String> lines = Files.readAllLines(temp.resolve(TelemetryLog.TEXT));
        assertThat(lines).hasSize(2);
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("2026-09-21T").contains("\\x1b[2J\\n2026-12-04T10:00:00Z")
                .doesNotContain("\u001b"));
        // status.jsonl: JSON escapes them, one document a line.
        for (String line : Files.readAllLines(temp.resolve(TelemetryLog.JSON))) {
            assertThat(new ObjectMapper().readTree(line).toString()).contains("\\u001B[2J\\n2026");
        }
    }

    @Test
    void aFailedWebhookIsLoggedByItsSchemeAndHostOnlyWithTheReceiversReplyEscaped() throws Exception {
        HttpServer echoing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // A receiver that echoes what it was asked, as some do in their errors.
        echoing.createContext("/", exchange -> {
            byte[] body = ("no such hook: " + exchange.getRequestURI() + FORGED).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        echoing.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Notifier.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        int port = echoing.getAddress().getPort();
        try {
            URI secret = URI.create("http://hook:pa55word@127.0.0.1:" + port + "/services/T0K3N-SECRET?token=s3cr3t-query");
            Notifier notifier = new Notifier(new Notifier.Settings(secret, null, EnumSet.allOf(Notifier.Event.class),
                    Duration.ofMinutes(15)));
            notifier.cycle(NotifierTest.refused(T0));
            notifier.close();
        } finally {
            logger.detachAppender(logged);
            echoing.stop(0);
        }
        assertThat(logged.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("the webhook http://127.0.0.1:" + port + " failed", "HTTP 404", "no such hook")
                .doesNotContain("T0K3N-SECRET", "s3cr3t-query", "pa55word", "\u001b", "\n"));
    }
}
