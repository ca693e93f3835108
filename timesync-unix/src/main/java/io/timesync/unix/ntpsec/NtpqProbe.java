package io.timesync.unix.ntpsec;

import io.timesync.time.Measurement;
import io.timesync.time.TimeSource;
import io.timesync.correct.CommandRunner;
import io.timesync.ntp.Leap;
import io.timesync.probe.Probe;
import io.timesync.probe.ServiceSample;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** ntpd's own view of the clock ({@code ntpq -c rv}) as a {@link Probe}. */
public final class NtpqProbe implements Probe {

    private final List<String> ntpqVariables;
    private final CommandRunner runner;
    private final TimeSource time;
    private final Duration timeout;

    /**
     * @param ntpqVariables the argument list that prints ntpd's system variables ({@code ntpq -c rv})
     * @param runner        how commands are run
     * @param time          the local clock
     * @param timeout       how long ntpq may take
     */
    public NtpqProbe(List<String> ntpqVariables, CommandRunner runner, TimeSource time, Duration timeout) {
        this.ntpqVariables = List.copyOf(ntpqVariables);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.time = Objects.requireNonNull(time, "time");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String source() {
        return "ntpd (system variables)";
    }

    @Override
    public Measurement measure() throws InterruptedException {
        long readAt = time.wallClockNanos();
        NtpqVariables rv;
        try {
            CommandRunner.Result result = runner.run(ntpqVariables, timeout);
            rv = NtpqVariables.parse(result.stdout() + result.stderr());
        } catch (IOException | IllegalArgumentException e) {
            return ServiceSample.unanswered("ntpd", "ntpd does not answer: " + e.getMessage());
        }
        if (rv.leap() == Leap.UNSYNCHRONIZED || rv.stratum() > 15) {
            return ServiceSample.unanswered("ntpd", "ntpd is not synchronised");
        }
        // ntpd's system offset is the clock's offset from the chosen source, server − local like ours.
        return ServiceSample.of("ntpd", rv.values().get("refid"), readAt, rv.offsetNanos(), rv.stratum(), rv.leap(),
                rv.rootDelayNanos(), rv.rootDispersionNanos(), 0);
    }
}
