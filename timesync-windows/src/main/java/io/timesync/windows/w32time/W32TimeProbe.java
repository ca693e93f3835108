package io.timesync.windows.w32time;

import io.timesync.time.Measurement;
import io.timesync.time.TimeSource;
import io.timesync.correct.CommandRunner;
import io.timesync.ntp.Leap;
import io.timesync.probe.Probe;
import io.timesync.probe.ServiceSample;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The Windows Time service's own view of the clock ({@code w32tm /query /status /verbose}) as a
 * {@link Probe}: what the agent reads every second in ultrafast mode, without touching the network.
 * The offset is w32time's phase offset, taken with NTP's sign (reference − local); its resolution is
 * 100 ns at best, coarser than TimeSync's own probe, which stays the preferred measurement.
 */
public final class W32TimeProbe implements Probe {

    private static final String NAME = "w32time";

    private final CommandRunner runner;
    private final TimeSource time;
    private final Duration timeout;

    /** A probe asking w32time through w32tm. */
    public W32TimeProbe(CommandRunner runner, TimeSource time, Duration timeout) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.time = Objects.requireNonNull(time, "time");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String source() {
        return "w32time (w32tm /query /status)";
    }

    @Override
    public Measurement measure() throws InterruptedException {
        long readAt = time.wallClockNanos();
        W32tmStatus status;
        try {
            status = W32tmStatus.parse(CommandFailure.check(runner.run(W32TimeCommands.STATUS, timeout)).stdout());
        } catch (IOException | IllegalArgumentException e) {
            return ServiceSample.unanswered(NAME, "w32time does not answer: " + e.getMessage());
        }
        if (!status.synchronised()) {
            return ServiceSample.unanswered(NAME, "w32time is not synchronised (source: " + status.source() + ")");
        }
        if (status.phaseOffsetNanos() == null) {
            return ServiceSample.unanswered(NAME, "w32tm printed no phase offset");
        }
        return ServiceSample.of(NAME, status.sourceHost(), readAt, status.phaseOffsetNanos(), status.stratum(),
                Leap.of(status.leap()), status.rootDelayNanos(), status.rootDispersionNanos(), status.referenceId());
    }
}
