package io.timesync.unix.timesyncd;

import io.timesync.time.Measurement;
import io.timesync.time.TimeSource;
import io.timesync.correct.CommandRunner;
import io.timesync.probe.Probe;
import io.timesync.probe.ServiceSample;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * systemd-timesyncd's own view of the clock through the {@link Probe} contract: {@code timedatectl
 * timesync-status}, its last exchange with its server (offset, stratum, leap, root distance). Reads
 * nothing from the network. timesyncd measures rarely (every 32 s to 34 min), so the offset is that
 * of its last poll, not of this instant.
 */
public final class TimesyncdProbe implements Probe {

    private static final String NAME = "systemd-timesyncd";

    private final List<String> argv;
    private final CommandRunner runner;
    private final TimeSource time;
    private final Duration timeout;

    /**
     * @param argv    the command, normally {@code timedatectl timesync-status}
     * @param runner  runs it
     * @param time    when it was read
     * @param timeout how long it may take
     */
    public TimesyncdProbe(List<String> argv, CommandRunner runner, TimeSource time, Duration timeout) {
        this.argv = List.copyOf(argv);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.time = Objects.requireNonNull(time, "time");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String source() {
        return NAME + " (timesync-status)";
    }

    @Override
    public Measurement measure() throws InterruptedException {
        long readAt = time.wallClockNanos();
        TimesyncStatus status;
        try {
            CommandRunner.Result result = runner.run(argv, timeout);
            if (!result.succeeded()) {
                return ServiceSample.unanswered(NAME, "timedatectl failed: " + (result.stderr() + result.stdout()).strip());
            }
            status = TimesyncStatus.parse(result.stdout());
            if (!status.contacted()) {
                return ServiceSample.unanswered(NAME, "systemd-timesyncd has no answer from " + status.values()
                        .getOrDefault("Server", "any server") + " yet");
            }
            // timesyncd reports only the root distance: carried as dispersion, root_dist() gives it back.
            return ServiceSample.of(NAME, status.server(), readAt, status.offsetNanos(), status.stratum(), status.leap(),
                    0, status.rootDistanceNanos(), status.referenceId());
        } catch (IOException | IllegalArgumentException e) {
            return ServiceSample.unanswered(NAME, "systemd-timesyncd cannot be read: " + e.getMessage());
        }
    }
}
