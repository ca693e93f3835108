package io.timesync.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * The command line's logging: warnings and errors on stderr, so that stdout carries only data
 * (tables, JSON); {@code -v} lowers the level (see {@link LoggingMixin}). Set up in code, found by
 * logback through {@code ServiceLoader}, because parsing an XML configuration costs a one-shot run
 * more CPU than the rest of its start. A {@code logback-test.xml} or {@code -Dlogback.configurationFile}
 * takes precedence.
 */
public final class StderrLogConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        boolean fileGiven = System.getProperty("logback.configurationFile") != null
                || StderrLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null;
        return fileGiven ? ExecutionStatus.INVOKE_NEXT_IF_ANY : configureStderr(context);
    }

    /**
     * Warnings and errors to stderr under {@link #PATTERN}, every message with its control characters
     * escaped ({@link PrintableMessageConverter}): text from servers or files stays on its line.
     */
    static ExecutionStatus configureStderr(LoggerContext context) {
        context.getStatusManager().add(new NopStatusListener());
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("msg", PrintableMessageConverter.class.getName());
        layout.setPattern(PATTERN);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
