package io.timesync.windows.w32time;

import io.timesync.api.ServerAddress;
import io.timesync.correct.CommandRunner;
import io.timesync.windows.CommandFailure;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The skew against a server as w32tm measures it ({@code w32tm /stripchart /dataonly}): the fallback
 * where TimeSync's own probe cannot run. The median of the answered samples, server − local, to
 * w32tm's 100 ns resolution.
 */
public final class StripchartSkew {

    private final CommandRunner runner;
    private final Duration timeout;

    /** Measures with {@code runner}; each run of w32tm may take {@code timeout} (about 2 s per sample). */
    public StripchartSkew(CommandRunner runner, Duration timeout) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * The median offset of {@code samples} samples of {@code server}.
     *
     * @throws IOException when w32tm fails or no sample was answered, with w32tm's own message
     */
    public long measure(ServerAddress server, int samples) throws IOException, InterruptedException {
        CommandRunner.Result result = CommandFailure.check(runner.run(W32TimeCommands.stripchart(server, samples), timeout));
        Stripchart chart;
        try {
            chart = Stripchart.parse(result.stdout());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (chart.samples().isEmpty()) {
            throw new IOException(server + " answered none of " + samples + " samples: " + String.join("; ", chart.failures()));
        }
        return chart.medianOffsetNanos();
    }
}
