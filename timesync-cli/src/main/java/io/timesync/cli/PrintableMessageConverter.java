package io.timesync.cli;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.timesync.text.Printable;

/**
 * logback's {@code %msg} with control characters escaped ({@link Printable}), as {@link StderrLogConfigurator}
 * configures it for every pattern: a message that carries text from outside stays one line and
 * cannot drive the terminal or the journal that shows it.
 */
public final class PrintableMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Printable.of(event.getFormattedMessage());
    }
}
