package io.timesync.probe;

import io.timesync.api.Measurement;

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
}
