package io.timesync.unix.chrony;

import io.timesync.time.Measurement;
import io.timesync.time.TimeSource;
import io.timesync.probe.Probe;
import io.timesync.probe.ServiceSample;

import java.io.IOException;
import java.util.Objects;

/**
 * chronyd's own view of the clock ({@code chronyc -c tracking}) as a {@link Probe}: what the agent
 * reads every second in ultrafast mode, without touching the network.
 */
public final class ChronyTrackingProbe implements Probe {

    private final Chronyc chronyc;
    private final TimeSource time;

    /** A probe asking chronyd through {@code chronyc}. */
    public ChronyTrackingProbe(Chronyc chronyc, TimeSource time) {
        this.chronyc = Objects.requireNonNull(chronyc, "chronyc");
        this.time = Objects.requireNonNull(time, "time");
    }

    @Override
    public String source() {
        return "chronyd (tracking)";
    }

    @Override
    public Measurement measure() throws InterruptedException {
        long readAt = time.wallClockNanos();
        ChronyTracking t;
        try {
            t = chronyc.tracking();
        } catch (IOException | IllegalArgumentException e) {
            return ServiceSample.unanswered("chronyd", "chronyd does not answer: " + e.getMessage());
        }
        if (!t.synchronised()) {
            return ServiceSample.unanswered("chronyd", "chronyd is not synchronised");
        }
        return ServiceSample.of("chronyd", t.referenceName(), readAt, t.skewNanos(), t.stratum(), t.leap(),
                t.rootDelayNanos(), t.rootDispersionNanos(), t.referenceId());
    }
}
