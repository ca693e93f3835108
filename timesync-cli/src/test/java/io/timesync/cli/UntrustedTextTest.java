package io.timesync.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.app.config.ConfigFile;
import io.timesync.app.format.JsonLines;
import io.timesync.testing.TestPki;
import io.timesync.testing.TlsKeServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Text from outside (a certificate's name, a receiver's reply, a server's detail) on its way to the
 * terminal, the logs and status.log: escaped, never a control character, never a forged line; and a
 * webhook's secret never logged.
 */
class UntrustedTextTest {

    private static final long T0 = 1_790_000_000_000_000_000L;
    private static final String FORGED = "\u001b[2J\n2026-12-04T10:00:00Z state    outage -> synchronized (all good)";

    @TempDir
    Path temp;

    @Test
    void aCertificateNameWithAnEscapeAndALineBreakIsPrintedEscaped() throws Exception {
        // A common name holds at most 64 characters.
        TestPki evil = TestPki.create(temp.resolve("evil"), "evil\u001b[2J\n2026-12-04T10:00:00Z state", "DNS:localhost");
        TestPki other = TestPki.create(temp.resolve("other"), "localhost", "DNS:localhost");
        try (TlsKeServer server = new TlsKeServer(evil)) {
            CliRun run = CliRun.of("probe", "--samples", "1", "--nts", "localhost:" + server.port(), "--nts-trust",
                    other.caCertificate().toString());

            assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SERVER);
            String printed = run.out() + run.err();
            assertThat(printed).contains("evil\\x1b[2J\\n2026-12-04T10:00:00Z state").doesNotContain("\u001b");
            assertThat(printed.lines()).noneMatch(l -> l.startsWith("2026-12-04T10:00:00Z"));
        }
    }

    @Test
    void theTerminalGetsNoControlCharacterButTheLineSeparator() {
        StringWriter terminal = new StringWriter();
        PrintWriter out = EscapingWriter.of(new PrintWriter(terminal));
        out.println("server says: " + FORGED + "\u0007\r");
        out.flush();

        assertThat(terminal.toString()).isEqualTo("server says: \\x1b[2J" + System.lineSeparator()
                + "2026-12-04T10:00:00Z state    outage -> synchronized (all good)\\x07\\r" + System.lineSeparator());
    }

    @Test
    void jsonOnTheTerminalStaysValidAndMeansTheSameText() throws Exception {
        String outside = "a\u0085b\u007fc\u2028d\u202ee\u001bf\ng";
        StringWriter terminal = new StringWriter();
        PrintWriter out = EscapingWriter.of(new PrintWriter(terminal));
        out.println(JsonLines.line(Map.of("detail", outside)));
        out.flush();

        assertThat(terminal.toString()).doesNotContain("\u0085", "\u007f", "\u2028", "\u202e", "\u001b");
        assertThat(new ObjectMapper().readTree(terminal.toString()).get("detail").asText()).isEqualTo(outside);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyLoggedMessageIsEscapedByTheShippedConfiguration() throws Exception {
        LoggerContext context = new LoggerContext();
        StderrLogConfigurator.configureStderr(context);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        LayoutWrappingEncoder<ILoggingEvent> encoder =
                (LayoutWrappingEncoder<ILoggingEvent>) ((ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR")).getEncoder();

        String line = encoder.getLayout().doLayout(new LoggingEvent(Logger.class.getName(), root, Level.WARN,
                "ignoring {}", null, new Object[] {"sessions" + FORGED}));

        assertThat(line).endsWith("WARN  ROOT: ignoring sessions\\x1b[2J\\n2026-12-04T10:00:00Z state    outage -> synchronized"
                + " (all good)" + System.lineSeparator());
        context.stop();
    }

    @Test
    void aWebhookThatIsNotAUrlIsRefusedWithoutRepeatingIt() throws Exception {
        Path config = Files.writeString(temp.resolve("timesync.properties"),
                "notify.webhook=https://hooks.example.com/services/T0K3N SECRET?token=s3cr3t\n");
        ConfigFile settings = ConfigFile.read(config);

        assertThatThrownBy(() -> settings.notifications(Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webhook is not a URL").message().doesNotContain("T0K3N", "s3cr3t");
    }
}
