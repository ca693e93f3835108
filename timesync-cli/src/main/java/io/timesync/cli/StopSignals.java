package io.timesync.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM and SIGINT as the daemon's clean stop: the first asks the agent to stop, so that the command
 * returns and the process exits 0 ("stopped"), where the JVM's own handling would run the shutdown
 * hooks and exit 143 (130 for Ctrl-C), which service managers and scripts read as a failure. A second
 * signal, sent when the stop takes too long, gets the JVM's own handling back: the process ends at once.
 * Where a signal cannot be handled (it is not known to the OS, or the JVM reserves it), the shutdown
 * hook still stops the agent.
 */
final class StopSignals {

    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private final Map<Signal, SignalHandler> previous;

    private StopSignals(Map<Signal, SignalHandler> previous) {
        this.previous = previous;
    }

    /** Handles SIGTERM and SIGINT by running {@code stop} once, until {@link #restore}. */
    static StopSignals install(Runnable stop) {
        AtomicBoolean stopping = new AtomicBoolean();
        Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, received -> {
                    if (stopping.compareAndSet(false, true)) {
                        log.info("SIG{}: stopping", received.getName());
                        stop.run();
                    } else {
                        SignalHandler jvm = previous.get(received);
                        Signal.handle(received, jvm);
                        Signal.raise(received);
                    }
                }));
            } catch (IllegalArgumentException unsupported) {
                log.debug("SIG{} is left to the JVM: {}", name, unsupported.getMessage());
            }
        }
        return new StopSignals(previous);
    }

    /** Gives the signals back to the JVM's own handling. */
    void restore() {
        previous.forEach(Signal::handle);
    }
}
