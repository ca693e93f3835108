package io.timesync.windows;

import io.timesync.correct.CommandRunner;
import io.timesync.platform.Diagnosis;
import io.timesync.platform.Host;
import io.timesync.platform.ServiceDiagnosis;
import io.timesync.windows.w32time.ScOutput;
import io.timesync.windows.w32time.W32TimeCommands;
import io.timesync.windows.w32time.W32tmStatus;
import io.timesync.windows.w32time.CommandFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/** The doctor's checks of w32time: whether it is installed and runs, and whether it is synchronised. */
public final class W32TimeDiagnostics {

    private static final Logger log = LoggerFactory.getLogger(W32TimeDiagnostics.class);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(5);

    private W32TimeDiagnostics() {
    }

    /** w32time's checks from {@code sc query w32time} and {@code w32tm /query /status /verbose}, run through the host's runner. */
    static ServiceDiagnosis diagnose(Host host) throws InterruptedException {
        return new ServiceDiagnosis(List.of(w32timeService(tool(host, W32TimeCommands.SC_QUERY)),
                w32timeSynchronised(tool(host, W32TimeCommands.STATUS))), null);
    }

    /** What {@code argv} printed, failed or not, or null when it did not run. */
    private static CommandRunner.Result tool(Host host, List<String> argv) throws InterruptedException {
        try {
            return host.runner().run(argv, TOOL_TIMEOUT);
        } catch (IOException e) {
            log.debug("{} did not run: {}", argv.get(0), e.toString());
            return null;
        }
    }

    /**
     * w32time's state as {@code sc query w32time} shows it.
     *
     * @param scQuery its result, or null when sc did not run
     */
    public static Diagnosis w32timeService(CommandRunner.Result scQuery) {
        String title = "time service installed and active";
        if (scQuery == null) {
            return Diagnosis.warn("time-service", title, "cannot tell: 'sc query w32time' did not run",
                    "run 'sc query w32time' in a prompt to see why");
        }
        String output = scQuery.stdout() + scQuery.stderr();
        OptionalInt failure = ScOutput.failure(output);
        if (failure.isPresent() && failure.getAsInt() == ScOutput.NO_SUCH_SERVICE) {
            return Diagnosis.fail("time-service", title, "the Windows Time service (w32time) is not installed",
                    "register it from an elevated prompt: 'w32tm /register', then 'sc start w32time'");
        }
        if (CommandFailure.failed(scQuery)) {
            return Diagnosis.warn("time-service", title, "cannot tell: " + CommandFailure.of(scQuery).getMessage(),
                    CommandFailure.of(scQuery).accessDenied() ? "run doctor from an elevated prompt (Run as administrator)"
                            : "run 'sc query w32time' in a prompt to see why");
        }
        int state;
        try {
            state = ScOutput.state(output);
        } catch (IllegalArgumentException e) {
            return Diagnosis.warn("time-service", title, "cannot tell: " + e.getMessage(), "run 'sc query w32time' in a prompt");
        }
        if (state == ScOutput.RUNNING || state == ScOutput.START_PENDING) {
            return Diagnosis.pass("time-service", title, "w32time is " + ScOutput.stateName(output).toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + " (sc query w32time)");
        }
        return Diagnosis.fail("time-service", title, "w32time is installed but " + ScOutput.stateName(output).toLowerCase(java.util.Locale.ROOT)
                        .replace('_', ' ') + " (sc query w32time)",
                "'timesync sync' from an elevated prompt starts it (sc config w32time start= auto, sc start w32time)");
    }

    /**
     * Whether w32time is synchronised, from its own view ({@code w32tm /query /status /verbose}).
     *
     * @param status its result, or null when w32tm did not run
     */
    public static Diagnosis w32timeSynchronised(CommandRunner.Result status) {
        String title = "clock synchronised (as the OS reports it)";
        if (status == null) {
            return Diagnosis.warn("synchronised", title, "cannot tell: 'w32tm /query /status' did not run",
                    "run 'w32tm /query /status /verbose' in a prompt to see why");
        }
        W32tmStatus s;
        try {
            s = W32tmStatus.parse(status.stdout() + status.stderr());
        } catch (IllegalArgumentException e) {
            return Diagnosis.warn("synchronised", title, "cannot tell: " + e.getMessage(), "start the service ('sc start w32time'"
                    + " from an elevated prompt, or 'timesync sync', which heals it), then run doctor again");
        }
        if (!s.synchronised()) {
            return Diagnosis.warn("synchronised", title, "w32time is running but not synchronised (source: " + s.source() + ")",
                    "give it servers and a sync: 'timesync sync' from an elevated prompt (or 'w32tm /resync'); the dns and ntp"
                            + " checks below show whether servers answer");
        }
        return Diagnosis.pass("synchronised", title, "w32time is synchronised to " + s.sourceHost() + " at stratum " + s.stratum()
                + ", last at " + s.lastSync());
    }
}
