package io.timesync.probe;

import io.timesync.time.Measurement;

import java.time.Duration;

/**
 * Measures one time source: an NTP server address over the network ({@link UdpProbe}), or the OS
 * time service's own view of the clock (the OS modules' probes, read every second in ultrafast mode
 * without touching the network).
 *
 * <p>A probe reports trouble with the source (timeouts, kisses, bogus replies) inside the
 * {@link Measurement}; it throws only when interrupted. Implementations are usable without root.
 */
public interface Probe {

    /** What this probe measures, for logs (e.g. {@code time.example:123 (192.0.2.1)}). */
    String source();

    /**
     * Takes the samples and returns them with the clock filter's estimate.
     *
     * @throws InterruptedException when the thread is interrupted; no partial result is returned
     */
    Measurement measure() throws InterruptedException;

    /**
     * The longest this probe may spend before its first request (an NTS key establishment), on top of
     * the samples' own time; a {@link ProbeRunner}'s deadline allows for it. None by default.
     */
    default Duration setup() {
        return Duration.ZERO;
    }

    /**
     * The result a {@link ProbeRunner} records for this probe when it returns none: it broke, or it
     * overran the run's deadline. Nothing is measured; {@code error} says why. Probes that a runner
     * runs override this; the default refuses, since it knows no server to name.
     */
    default Measurement failed(String error) {
        throw new UnsupportedOperationException(source() + " cannot run on a ProbeRunner: it does not implement failed()");
    }
}
