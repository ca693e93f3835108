package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.app.Machine;
import io.timesync.app.Platforms;
import io.timesync.app.doctor.Check;
import io.timesync.correct.CommandRunner;
import io.timesync.testing.ChronyExtension;
import io.timesync.windows.W32TimeDiagnostics;
import io.timesync.windows.w32time.FakeWindows;
import io.timesync.windows.w32time.Recorded;
import io.timesync.windows.w32time.ScOutput;
import io.timesync.windows.w32time.W32TimeCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code timesync doctor} on Windows: the time-service and synchronised checks from w32time's own
 * view ({@code sc query w32time}, {@code w32tm /query /status /verbose}), judged on recorded outputs,
 * and asked through the machine's command runner end to end.
 */
class WindowsDoctorTest {

    @RegisterExtension
    static final ChronyExtension CHRONY = new ChronyExtension(3);

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path programData;

    private static CommandRunner.Result result(List<String> argv, int exit, String recording) {
        return new CommandRunner.Result(argv, exit, Recorded.crlf(recording), "");
    }

    // The platform's findings as the doctor reports them.
    private static Check w32timeService(CommandRunner.Result scQuery) {
        return Check.of(W32TimeDiagnostics.w32timeService(scQuery));
    }

    private static Check w32timeSynchronised(CommandRunner.Result status) {
        return Check.of(W32TimeDiagnostics.w32timeSynchronised(status));
    }

    @Test
    void aRunningServiceSynchronisedToItsSourcePasses() {
        Check service = w32timeService(result(W32TimeCalls.SC_QUERY, 0, "sc-query-running.CONSTRUCTED.txt"));
        assertThat(service.status()).isEqualTo(Check.Status.PASS);
        assertThat(service.detail()).isEqualTo("w32time is running (sc query w32time)");
        Check synced = w32timeSynchronised(result(W32TimeCalls.STATUS, 0, "status-verbose-en-hold.txt"));
        assertThat(synced.status()).isEqualTo(Check.Status.PASS);
        assertThat(synced.detail()).startsWith("w32time is synchronised to time.windows.com at stratum 4, last at ");
        // Localised: the values are read by position.
        assertThat(w32timeSynchronised(result(W32TimeCalls.STATUS, 0, "status-verbose-de-wrapped.txt")).detail())
                .startsWith("w32time is synchronised to de.pool.ntp.org at stratum 3");
        assertThat(w32timeService(result(W32TimeCalls.SC_START, 0, "sc-start-pending.txt")).status())
                .isEqualTo(Check.Status.PASS);
    }

    @Test
    void aStoppedServiceFailsWithTheHealingToRun() {
        Check service = w32timeService(result(W32TimeCalls.SC_QUERY, 0, "sc-query-stopped.txt"));
        assertThat(service.status()).isEqualTo(Check.Status.FAIL);
        assertThat(service.cause()).isEqualTo(Check.Cause.NO_SERVER);
        assertThat(service.detail()).isEqualTo("w32time is installed but stopped (sc query w32time)");
        assertThat(service.fix()).contains("sc config w32time start= auto").contains("sc start w32time");
        Check absent = w32timeService(result(W32TimeCalls.SC_QUERY, ScOutput.NO_SUCH_SERVICE,
                "sc-not-installed.CONSTRUCTED.txt"));
        assertThat(absent.status()).isEqualTo(Check.Status.FAIL);
        assertThat(absent.fix()).contains("w32tm /register");
        Check denied = w32timeService(result(W32TimeCalls.SC_QUERY, ScOutput.ACCESS_DENIED,
                "sc-access-denied.CONSTRUCTED.txt"));
        assertThat(denied.status()).isEqualTo(Check.Status.WARN);
        assertThat(denied.fix()).contains("elevated prompt");
        assertThat(w32timeService(null).status()).isEqualTo(Check.Status.WARN);
    }

    @Test
    void notStartedAndUnsynchronisedAreWarningsWithWhy() {
        Check notStarted = w32timeSynchronised(result(W32TimeCalls.STATUS, -2147023834, "status-not-started.txt"));
        assertThat(notStarted.status()).isEqualTo(Check.Status.WARN);
        assertThat(notStarted.detail()).isEqualTo("cannot tell: w32tm reports: The following error occurred: The service has not"
                + " been started. (0x80070426)");
        assertThat(notStarted.fix()).contains("sc start w32time");
        Check cmos = w32timeSynchronised(result(W32TimeCalls.STATUS, 0, "status-verbose-en-unsynced.txt"));
        assertThat(cmos.status()).isEqualTo(Check.Status.WARN);
        assertThat(cmos.detail()).isEqualTo("w32time is running but not synchronised (source: Local CMOS Clock)");
        assertThat(w32timeSynchronised(new CommandRunner.Result(W32TimeCalls.STATUS, 0, "", "")).detail())
                .contains("the output is empty");
    }

    @Test
    void doctorAsksW32timeThroughTheMachinesRunnerAndChangesNothing() throws Exception {
        FakeWindows windows = FakeWindows.standalone();
        windows.readOnly = true;
        windows.whoami = Recorded.crlf("whoami-groups-high.txt");
        windows.state = ScOutput.STOPPED;
        Machine machine = new Machine(Platforms.forName("windows"), windows, Map.of("ProgramData", programData.toString()),
                "Administrator", programData.resolve("home"));
        CliRun run = CliRun.on(machine, "doctor", "--json", "--server", CHRONY.server().ipv4Server(), "--samples", "1",
                "--timeout", "300ms");
        JsonNode doc = JSON.readTree(run.out());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.NO_SERVER);
        Map<String, JsonNode> checks = new java.util.HashMap<>();
        doc.get("checks").forEach(c -> checks.put(c.get("id").asText(), c));
        assertThat(checks.get("time-service").get("status").asText()).isEqualTo("fail");
        assertThat(checks.get("time-service").get("detail").asText()).isEqualTo("w32time is installed but stopped (sc query w32time)");
        assertThat(checks.get("synchronised").get("status").asText()).isEqualTo("warn");
        assertThat(checks.get("synchronised").get("detail").asText()).contains("0x80070426");
        assertThat(checks.get("ntp").get("status").asText()).isEqualTo("pass");
        // The elevated prompt's directory is %ProgramData%\TimeSync, state and log alike.
        assertThat(checks.get("state-dir").get("detail").asText()).contains(programData.resolve("TimeSync").toString());
        assertThat(windows.calls).contains(W32TimeCalls.SC_QUERY, W32TimeCalls.STATUS).noneMatch(FakeWindows::changes);
    }
}
