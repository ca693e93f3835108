package io.timesync.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code -v/--verbose}: debug logging on stderr. */
final class LoggingMixin {

    @Option(names = {"-v", "--verbose"}, description = "Log what happens, on stderr.")
    void verbose(boolean on) {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(on ? Level.DEBUG : Level.WARN);
        }
    }
}
