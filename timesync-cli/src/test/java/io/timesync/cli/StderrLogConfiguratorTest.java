package io.timesync.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StderrLogConfiguratorTest {

    @Test
    void warningsAndErrorsGoToStderrUnderThePatternAndNothingElseIsConfigured() {
        LoggerContext context = new LoggerContext();
        assertThat(StderrLogConfigurator.configureStderr(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            appenders.add(it.next());
        }
        assertThat(appenders).hasSize(1);
        ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) appenders.get(0);
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        assertThat(stderr.isStarted()).isTrue();
        PatternLayout layout = (PatternLayout) ((LayoutWrappingEncoder<ILoggingEvent>) stderr.getEncoder()).getLayout();
        assertThat(layout.getPattern()).isEqualTo("%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n");
        assertThat(layout.getInstanceConverterMap()).containsEntry("msg", PrintableMessageConverter.class.getName());
        context.stop();
    }

    @Test
    void theJarNamesTheConfiguratorForLogbacksServiceLoaderAndShipsNoXml() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/services/ch.qos.logback.classic.spi.Configurator")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo(StderrLogConfigurator.class.getName());
        }
        assertThat(getClass().getResource("/logback.xml")).isNull();
    }
}
