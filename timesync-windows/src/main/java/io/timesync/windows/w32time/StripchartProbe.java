package io.timesync.windows.w32time;

import io.timesync.time.Measurement;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.correct.CommandRunner;
import io.timesync.ntp.Leap;
import io.timesync.probe.Probe;
import io.timesync.probe.ServiceSample;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * A server's offset as w32tm measures it ({@code w32tm /stripchart /computer:HOST /dataonly
 * /samples:N}), as a {@link Probe}: the fallback where TimeSync's own probe gets no answer, e.g. a
 * firewall that lets the Windows Time service through but not java.exe. The offset is the median of
 * the answered samples, server − local, to w32tm's 100 ns resolution. w32tm asks port 123 of the host
 * (it takes no port), the port w32time itself will use; it prints neither stratum nor delay, so the
 * measurement has stratum 0 (unknown) and no network delay.
 */
public final class StripchartProbe implements Probe {

    private final ServerAddress server;
    private final int samples;
    private final CommandRunner runner;
    private final TimeSource time;
    private final Duration timeout;

    /**
     * @param server  the server; its port is not used (w32tm asks port 123)
     * @param samples how many samples w32tm takes, 1 to 100, about 2 s apart
     * @param timeout how long w32tm may take for all of them
     */
    public StripchartProbe(ServerAddress server, int samples, CommandRunner runner, TimeSource time, Duration timeout) {
        this.server = new ServerAddress(Objects.requireNonNull(server, "server").host(), ServerAddress.NTP_PORT);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.time = Objects.requireNonNull(time, "time");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        W32TimeCommands.stripchart(this.server, samples);
        this.samples = samples;
    }

    @Override
    public String source() {
        return server + " (w32tm /stripchart)";
    }

    @Override
    public Measurement measure() throws InterruptedException {
        long readAt = time.wallClockNanos();
        Stripchart chart;
        try {
            chart = Stripchart.parse(CommandFailure.check(runner.run(W32TimeCommands.stripchart(server, samples), timeout)).stdout());
        } catch (IOException | IllegalArgumentException e) {
            return ServiceSample.unanswered(server.host(), "w32tm /stripchart of " + server.host() + " failed: " + e.getMessage());
        }
        if (chart.samples().isEmpty()) {
            return ServiceSample.unanswered(server.host(), server.host() + " answered none of " + samples + " w32tm samples: "
                    + String.join("; ", chart.failures()));
        }
        String address = chart.target() == null ? null : chart.target().replaceFirst(":\\d+$", "");
        return ServiceSample.of(server.host(), address, readAt, chart.medianOffsetNanos(), 0, Leap.NONE, 0, 0, 0);
    }
}
