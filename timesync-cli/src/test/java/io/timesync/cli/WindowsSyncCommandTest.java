package io.timesync.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.app.Machine;
import io.timesync.app.Platforms;
import io.timesync.correct.CommandRunner;
import io.timesync.testing.ChronyServer;
import io.timesync.windows.w32time.FakeWindows;
import io.timesync.windows.w32time.Recorded;
import io.timesync.windows.w32time.ScOutput;
import io.timesync.windows.w32time.W32TimeCalls;
import io.timesync.windows.w32time.W32TimeCorrector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.timesync.windows.w32time.W32TimeCalls.CONFIG_KEY;
import static io.timesync.windows.w32time.W32TimeCalls.PARAMETERS_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code timesync sync} on Windows semantics, run on Linux end to end through the command: the
 * machine's platform is forced to Windows and its command runner is a {@link FakeWindows} that answers
 * reg, sc and w32tm with the recorded outputs and fails on any command it does not know. The skew is
 * TimeSync's own measurement of a real chronyd on loopback, 250 ms ahead of an honest one (chrony's
 * {@code offset}), so every run steps. chronyd listens on a high port; w32time takes no port, so its
 * peer list gets the host (127.0.0.1) and the plan says so.
 */
class WindowsSyncCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PEERS = "127.0.0.1,0x8";
    private static Path chronyDir;
    private static ChronyServer honest;
    private static ChronyServer ahead;

    @TempDir
    Path programData;

    @TempDir
    Path state;

    private final FakeWindows windows = FakeWindows.standalone();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger corrector = (Logger) LoggerFactory.getLogger(W32TimeCorrector.class);

    @BeforeAll
    static void startServers() throws Exception {
        chronyDir = Files.createTempDirectory("timesync-windows-sync");
        honest = ChronyServer.start(chronyDir, 2);
        ahead = ChronyServer.start(chronyDir, ChronyServer.Spec.follower(honest.port(), 2, 0.25));
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (ChronyServer server : new ChronyServer[] {ahead, honest}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    void captureTheCorrectorsLog() {
        logged.start();
        corrector.addAppender(logged);
    }

    @AfterEach
    void stopCapturing() {
        corrector.detachAppender(logged);
    }

    private Machine machine(CommandRunner runner, String platform) {
        return new Machine(Platforms.forName(platform), runner, Map.of("ProgramData", programData.toString()), "Administrator",
                programData.resolve("home"));
    }

    private CliRun sync(String server, String... args) {
        List<String> argv = new ArrayList<>(List.of("sync", "--json", "--state-dir", state.toString(), "--log-dir",
                state.resolve("logs").toString(), "--server", server, "--samples", "2", "--spacing", "20ms", "--timeout", "300ms"));
        argv.addAll(List.of(args));
        return CliRun.on(machine(windows, "windows"), argv.toArray(String[]::new));
    }

    private static List<List<String>> reads() {
        return List.of(W32TimeCalls.SC_QUERY, W32TimeCalls.SC_QC, W32TimeCalls.regQuery(PARAMETERS_KEY),
                W32TimeCalls.regQuery(CONFIG_KEY), W32TimeCalls.CONFIGURATION);
    }

    private static List<List<String>> backupReads() {
        return List.of(W32TimeCalls.regQuery(CONFIG_KEY, "MinPollInterval"), W32TimeCalls.regQuery(CONFIG_KEY, "MaxPollInterval"),
                W32TimeCalls.regQuery(CONFIG_KEY, "MaxPosPhaseCorrection"), W32TimeCalls.regQuery(CONFIG_KEY, "MaxNegPhaseCorrection"),
                W32TimeCalls.regQuery(PARAMETERS_KEY, "NtpServer"), W32TimeCalls.regQuery(PARAMETERS_KEY, "Type"));
    }

    private static List<List<String>> writes() {
        return List.of(W32TimeCalls.regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "6"),
                W32TimeCalls.regAdd(CONFIG_KEY, "MaxPollInterval", "REG_DWORD", "10"),
                W32TimeCalls.regAdd(CONFIG_KEY, "MaxPosPhaseCorrection", "REG_DWORD", "1000"),
                W32TimeCalls.regAdd(CONFIG_KEY, "MaxNegPhaseCorrection", "REG_DWORD", "1000"),
                W32TimeCalls.configurePeers(PEERS));
    }

    private Map<String, List<String>> registry() {
        Map<String, List<String>> copy = new TreeMap<>();
        windows.registry.forEach((k, v) -> copy.put(k, List.of(v)));
        return copy;
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aHealthyServiceIsConfiguredSteppedAndVerified() throws Exception {
        CliRun run = sync(ahead.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.at("/decision/outcome").asText()).isEqualTo("applied");
        assertThat(doc.at("/action/kind").asText()).isEqualTo("step");
        assertThat(doc.get("skewNs").asLong()).isBetween(200_000_000L, 300_000_000L);
        assertThat(doc.get("service").asText()).isEqualTo("w32time");
        assertThat(doc.get("applied").asBoolean()).isTrue();
        assertThat(doc.get("verified").asBoolean()).isTrue();
        List<List<String>> expected = new ArrayList<>(reads());
        expected.addAll(backupReads());
        expected.addAll(writes());
        expected.add(W32TimeCalls.RESYNC_STEP);
        expected.add(W32TimeCalls.regQuery(PARAMETERS_KEY, "NtpServer"));
        assertThat(windows.calls).containsExactlyElementsOf(expected);
        assertThat(windows.get(PARAMETERS_KEY, "NtpServer")).isEqualTo(PEERS);
        // The old values are backed up machine-wide, under %ProgramData%\TimeSync\backups.
        try (var backups = Files.list(programData.resolve("TimeSync").resolve("backups"))) {
            assertThat(backups.toList()).singleElement().satisfies(b -> assertThat(b).content()
                    .contains("Parameters\\NtpServer\tREG_SZ\ttime.windows.com,0x9"));
        }
        // The peer list carries no port: the plan says which port w32time will ask.
        assertThat(warnings()).contains(ahead.ipv4Server() + " was measured on port " + ahead.port()
                + "; w32time asks 127.0.0.1 on port 123, the only port it talks to");
        assertThat(Files.readString(state.resolve("logs").resolve("status.log"))).contains("w32time");
    }

    @Test
    void aStoppedServiceIsStartedFirstAndTheHealingIsLogged() throws Exception {
        windows.state = ScOutput.STOPPED;
        CliRun run = sync(ahead.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.at("/decision/detail").asText()).startsWith("ran sc start w32time; ran reg add");
        List<List<String>> expected = new ArrayList<>(reads());
        expected.addAll(backupReads());
        expected.add(W32TimeCalls.SC_START);
        expected.addAll(writes());
        expected.add(W32TimeCalls.RESYNC_STEP);
        expected.add(W32TimeCalls.regQuery(PARAMETERS_KEY, "NtpServer"));
        assertThat(windows.calls).containsExactlyElementsOf(expected);
        assertThat(windows.state).isEqualTo(ScOutput.RUNNING);
        assertThat(warnings()).contains("healed the Windows Time service: sc start w32time");
    }

    @Test
    void aDisabledServiceIsSetToStartWithWindowsAndStarted() throws Exception {
        windows.state = ScOutput.STOPPED;
        windows.startType = ScOutput.DISABLED;
        CliRun run = sync(ahead.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode plan = JSON.readTree(run.out()).get("plan");
        assertThat(plan.get(0).get("argv").toString()).isEqualTo("[\"sc\",\"config\",\"w32time\",\"start=\",\"auto\"]");
        assertThat(plan.get(1).get("argv").toString()).isEqualTo("[\"sc\",\"start\",\"w32time\"]");
        assertThat(windows.calls).containsSubsequence(W32TimeCalls.SC_AUTO_START, W32TimeCalls.SC_START,
                W32TimeCalls.regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "6"), W32TimeCalls.RESYNC_STEP);
        assertThat(windows.startType).isEqualTo(ScOutput.AUTO_START);
        assertThat(warnings()).contains("healed the Windows Time service: sc config w32time start= auto",
                "healed the Windows Time service: sc start w32time");
    }

    @Test
    void accessDeniedIsExit77WithWhatToDoAndNothingStaysChanged() throws Exception {
        Map<String, List<String>> before = registry();
        windows.fail(W32TimeCalls.regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "6"), 1,
                Recorded.crlf("reg-add-access-denied.CONSTRUCTED.txt"));
        CliRun run = sync(ahead.ipv4Server());
        assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCode.PERMISSION);
        assertThat(run.err()).contains("ERROR: Access is denied.")
                .contains("timesync: Windows refused: this needs Administrator rights; run it from an elevated prompt");
        assertThat(registry()).isEqualTo(before);
        assertThat(windows.calls).doesNotContain(W32TimeCalls.configurePeers(PEERS), W32TimeCalls.RESYNC_STEP);

        // Refused already when reading the service's state: the same exit, nothing written.
        FakeWindows locked = FakeWindows.standalone();
        locked.fail(W32TimeCalls.SC_QUERY, ScOutput.ACCESS_DENIED, Recorded.crlf("sc-access-denied.CONSTRUCTED.txt"));
        CliRun reading = CliRun.on(machine(locked, "windows"), "sync", "--state-dir", state.toString(), "--log-dir",
                state.resolve("logs").toString(), "--server", ahead.ipv4Server(), "--samples", "2", "--spacing", "20ms",
                "--timeout", "300ms");
        assertThat(reading.exitCode()).isEqualTo(ExitCode.PERMISSION);
        assertThat(reading.err()).contains("[SC] OpenService FAILED 5").contains("needs Administrator rights");
        assertThat(locked.calls).containsExactly(W32TimeCalls.SC_QUERY);
    }

    @Test
    void aW32tmErrorRestoresTheRegistryValuesItChangedAndIsExit71() throws Exception {
        Map<String, List<String>> before = registry();
        windows.fail(W32TimeCalls.configurePeers(PEERS), -2147023834, Recorded.crlf("config-update-not-started.txt"));
        CliRun run = sync(ahead.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.CORRECTION_FAILED);
        assertThat(run.err()).contains("timesync: the correction failed: w32tm /config /manualpeerlist:" + PEERS)
                .contains("The following error occurred: The service has not been started. (0x80070426)")
                .contains("the previous registry values were restored");
        assertThat(registry()).isEqualTo(before);
        // The four values written are put back, the service told; nothing was resynchronised.
        assertThat(windows.calls).contains(W32TimeCalls.regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "10"),
                W32TimeCalls.regAdd(CONFIG_KEY, "MaxNegPhaseCorrection", "REG_DWORD", "172800"))
                .doesNotContain(W32TimeCalls.RESYNC_STEP);
        assertThat(windows.calls.get(windows.calls.size() - 1)).isEqualTo(W32TimeCalls.UPDATE);
    }

    @Test
    void aDryRunOnWindowsReadsOnlyAndPrintsOnlyWhatDiffers() throws Exception {
        windows.readOnly = true;
        windows.state = ScOutput.STOPPED;
        windows.startType = ScOutput.DISABLED;
        windows.set(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "0x6");
        CliRun run = sync(ahead.ipv4Server(), "--dry-run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.at("/decision/outcome").asText()).isEqualTo("planned");
        assertThat(doc.get("dryRun").asBoolean()).isTrue();
        assertThat(doc.get("applied").asBoolean()).isFalse();
        assertThat(steps(doc.get("plan"))).containsExactly(
                List.of("run-command", "sc config w32time start= auto"),
                List.of("run-command", "sc start w32time"),
                List.of("run-command", "reg add " + CONFIG_KEY + " /v MaxPollInterval /t REG_DWORD /d 10 /f"),
                List.of("run-command", "reg add " + CONFIG_KEY + " /v MaxPosPhaseCorrection /t REG_DWORD /d 1000 /f"),
                List.of("run-command", "reg add " + CONFIG_KEY + " /v MaxNegPhaseCorrection /t REG_DWORD /d 1000 /f"),
                List.of("run-command", "w32tm /config /manualpeerlist:" + PEERS + " /syncfromflags:manual /update"),
                List.of("step"),
                List.of("run-command", "w32tm /resync /force"));
        assertThat(doc.at("/plan/0/argv").toString()).isEqualTo("[\"sc\",\"config\",\"w32time\",\"start=\",\"auto\"]");
        assertThat(doc.at("/plan/2/argv").toString()).isEqualTo("[\"reg\",\"add\",\"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Services"
                + "\\\\W32Time\\\\Config\",\"/v\",\"MaxPollInterval\",\"/t\",\"REG_DWORD\",\"/d\",\"10\",\"/f\"]");
        assertThat(windows.calls).containsExactlyElementsOf(reads());
        assertThat(windows.calls).noneMatch(FakeWindows::changes);
        assertThat(windows.state).isEqualTo(ScOutput.STOPPED);
    }

    @Test
    void aDryRunForWindowsFromLinuxPrintsEveryArgumentListAndRunsNothing() throws Exception {
        CommandRunner none = (argv, timeout) -> {
            throw new AssertionError("a plan for review must run nothing, but ran " + argv);
        };
        CliRun run = CliRun.on(machine(none, "linux"), "sync", "--platform", "windows", "--dry-run", "--json", "--state-dir",
                state.toString(), "--server", ahead.ipv4Server(), "--samples", "2", "--spacing", "20ms", "--timeout", "300ms");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("service").asText()).isEqualTo("w32time");
        JsonNode plan = doc.get("plan");
        List<List<String>> argv = List.of(
                List.of("reg", "add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config", "/v", "MinPollInterval", "/t",
                        "REG_DWORD", "/d", "6", "/f"),
                List.of("reg", "add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config", "/v", "MaxPollInterval", "/t",
                        "REG_DWORD", "/d", "10", "/f"),
                List.of("reg", "add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config", "/v", "MaxPosPhaseCorrection",
                        "/t", "REG_DWORD", "/d", "1000", "/f"),
                List.of("reg", "add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config", "/v", "MaxNegPhaseCorrection",
                        "/t", "REG_DWORD", "/d", "1000", "/f"),
                List.of("reg", "add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters", "/v", "Type", "/t", "REG_SZ",
                        "/d", "NTP", "/f"),
                List.of("w32tm", "/config", "/manualpeerlist:127.0.0.1,0x8", "/syncfromflags:manual", "/update"));
        assertThat(plan).hasSize(8);
        for (int i = 0; i < argv.size(); i++) {
            JsonNode step = plan.get(i);
            assertThat(step.get("kind").asText()).isEqualTo("run-command");
            List<String> got = new ArrayList<>();
            step.get("argv").forEach(a -> got.add(a.asText()));
            assertThat(got).as("step %d", i + 1).isEqualTo(argv.get(i));
            assertThat(step.get("description").asText()).isEqualTo("run " + String.join(" ", argv.get(i)));
        }
        assertThat(plan.get(4).get("sets").toString()).isEqualTo("{\"store\":\"registry\",\"key\":\"HKLM\\\\SYSTEM"
                + "\\\\CurrentControlSet\\\\Services\\\\W32Time\\\\Parameters\",\"name\":\"Type\",\"type\":\"REG_SZ\",\"value\":\"NTP\"}");
        assertThat(plan.get(5).at("/sets/value").asText()).isEqualTo("127.0.0.1,0x8");
        assertThat(plan.get(6).get("kind").asText()).isEqualTo("step");
        assertThat(plan.get(6).get("nanos").asLong()).isEqualTo(doc.at("/action/nanos").asLong());
        assertThat(plan.get(7).get("argv").toString()).isEqualTo("[\"w32tm\",\"/resync\",\"/force\"]");
        assertThat(doc.get("planReason").asText()).startsWith("planned without asking the machine")
                .contains("w32time asks 127.0.0.1 on port 123").endsWith(doc.at("/action/reason").asText());
    }

    @Test
    void whenTimeSyncsProbeGetsNoAnswerW32tmStripchartGivesTheSkew() throws Exception {
        int dead;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            dead = socket.getLocalPort();
        }
        windows.stripchart = Recorded.crlf("stripchart-dataonly-dc.txt");
        CliRun run = sync("127.0.0.1:" + dead);
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.at("/decision/source").asText()).isEqualTo("127.0.0.1:123 (w32tm /stripchart)");
        assertThat(doc.get("skewNs").asLong()).isEqualTo(469_300);
        assertThat(doc.at("/action/kind").asText()).isEqualTo("slew");
        assertThat(windows.calls).contains(List.of("w32tm", "/stripchart", "/computer:127.0.0.1", "/dataonly", "/samples:2"));
        assertThat(windows.calls).containsSubsequence(W32TimeCalls.configurePeers(PEERS), W32TimeCalls.RESYNC_SLEW);
        assertThat(windows.get(PARAMETERS_KEY, "NtpServer")).isEqualTo(PEERS);

        // Neither answers: nothing changes, exit 69 with both reasons.
        FakeWindows silent = FakeWindows.standalone();
        silent.stripchart = "Tracking 127.0.0.1 [127.0.0.1:123].\r\nCollecting 2 samples.\r\n10:00:00, error: 0x800705B4\r\n"
                + "10:00:02, error: 0x800705B4\r\n";
        silent.readOnly = true;
        CliRun none = CliRun.on(machine(silent, "windows"), "sync", "--state-dir", state.toString(), "--log-dir",
                state.resolve("logs").toString(), "--server", "127.0.0.1:" + dead, "--samples", "2", "--spacing", "20ms",
                "--timeout", "300ms");
        assertThat(none.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(none.err()).contains("answered none of 2 w32tm samples").contains("0x800705B4").contains("nothing changed");
    }

    private static List<List<String>> steps(JsonNode plan) {
        List<List<String>> steps = new ArrayList<>();
        plan.forEach(s -> steps.add(s.get("kind").asText().equals("run-command")
                ? List.of("run-command", s.get("description").asText().substring("run ".length()))
                : List.of(s.get("kind").asText())));
        return steps;
    }
}
