package io.timesync.windows.w32time;

import io.timesync.time.TimeSource;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.CorrectionPolicy.Kind;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.time.Mode;
import io.timesync.select.Decision;
import io.timesync.memo.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.timesync.windows.w32time.W32TimeCalls.CONFIG_KEY;
import static io.timesync.windows.w32time.W32TimeCalls.PARAMETERS_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The w32time corrector's whole flow on Windows semantics, run on Linux: every command goes to a
 * {@link FakeWindows} that answers in the formats of real recorded outputs and fails on anything
 * unexpected, so each test asserts the exact argument lists, in order.
 */
class W32TimeCorrectorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Action SLEW = new Action(Kind.SLEW, 2_000_000, "skew 2 ms: slew");
    private static final Action STEP = new Action(Kind.STEP, 250_000_000, "skew 250 ms: step");
    private static final List<String> SELECTED = List.of("192.0.2.1:123", "time.example:123", "192.0.2.9:4123");
    private static final String PEERS = "192.0.2.1,0x8 time.example,0x8 192.0.2.9,0x8";
    private static final String OTHER_PORT = "192.0.2.9:4123 was measured on port 4123; w32time asks 192.0.2.9 on port 123,"
            + " the only port it talks to; ";

    @TempDir
    Path backups;

    private final FakeWindows windows = FakeWindows.standalone();

    private W32TimeCorrector corrector(boolean forceDomain) {
        return new W32TimeCorrector(W32TimeSettings.defaults(Duration.ofSeconds(1000)), backups, windows, TimeSource.system(),
                TIMEOUT, 3, forceDomain);
    }

    private static Decision selecting(List<String> servers) {
        return new Decision(List.of(), new Selection(servers, null, 0), Decision.Outcome.FIRST_SELECTION, "test");
    }

    private static Plan.RunCommand run(List<String> argv) {
        return new Plan.RunCommand(argv, TIMEOUT);
    }

    private static Plan.SetValue regAdd(String key, String name, String type, String data) {
        return new Plan.SetValue("registry", key, name, type, data, W32TimeCalls.regAdd(key, name, type, data));
    }

    private static Plan.SetValue peers(String list) {
        return new Plan.SetValue("registry", PARAMETERS_KEY, "NtpServer", "REG_SZ", list, W32TimeCalls.configurePeers(list));
    }

    private static final List<List<String>> READS = List.of(W32TimeCalls.SC_QUERY, W32TimeCalls.SC_QC,
            W32TimeCalls.regQuery(PARAMETERS_KEY), W32TimeCalls.regQuery(CONFIG_KEY), W32TimeCalls.CONFIGURATION);

    @Test
    void thePlanListsExactlyTheArgumentListsAndChangesNothing() throws Exception {
        Plan plan = corrector(false).plan(selecting(SELECTED), SLEW);
        assertThat(plan.service()).isEqualTo("w32time");
        assertThat(plan.reason()).isEqualTo(OTHER_PORT + SLEW.reason());
        assertThat(plan.steps()).containsExactly(
                regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "6"),
                regAdd(CONFIG_KEY, "MaxPollInterval", "REG_DWORD", "10"),
                regAdd(CONFIG_KEY, "MaxPosPhaseCorrection", "REG_DWORD", "1000"),
                regAdd(CONFIG_KEY, "MaxNegPhaseCorrection", "REG_DWORD", "1000"),
                peers(PEERS),
                new Plan.SlewClock(2_000_000),
                run(List.of("w32tm", "/resync", "/nowait")));
        // The exact reg argument list, flag by flag.
        assertThat(((Plan.SetValue) plan.steps().get(0)).argv()).containsExactly("reg", "add",
                "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config", "/v", "MinPollInterval", "/t", "REG_DWORD", "/d", "6", "/f");
        // The peers step carries the list w32tm /config writes as one argument.
        assertThat(((Plan.SetValue) plan.steps().get(4)).value()).isEqualTo(PEERS);
        // Planning only reads.
        assertThat(windows.calls).containsExactlyElementsOf(READS);
        assertThat(windows.get(CONFIG_KEY, "MinPollInterval")).isEqualTo("0xa");
    }

    @Test
    void applyingWritesBacksUpVerifiesAndIsIdempotent() throws Exception {
        W32TimeCorrector w32time = corrector(false);
        Plan plan = w32time.plan(selecting(SELECTED), SLEW);
        windows.calls.clear();
        Corrector.Applied applied = w32time.apply(plan);
        assertThat(applied.verified()).isTrue();
        assertThat(windows.calls).containsExactly(
                // The old values, read first.
                W32TimeCalls.regQuery(CONFIG_KEY, "MinPollInterval"), W32TimeCalls.regQuery(CONFIG_KEY, "MaxPollInterval"),
                W32TimeCalls.regQuery(CONFIG_KEY, "MaxPosPhaseCorrection"), W32TimeCalls.regQuery(CONFIG_KEY, "MaxNegPhaseCorrection"),
                W32TimeCalls.regQuery(PARAMETERS_KEY, "NtpServer"), W32TimeCalls.regQuery(PARAMETERS_KEY, "Type"),
                W32TimeCalls.regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "6"),
                W32TimeCalls.regAdd(CONFIG_KEY, "MaxPollInterval", "REG_DWORD", "10"),
                W32TimeCalls.regAdd(CONFIG_KEY, "MaxPosPhaseCorrection", "REG_DWORD", "1000"),
                W32TimeCalls.regAdd(CONFIG_KEY, "MaxNegPhaseCorrection", "REG_DWORD", "1000"),
                W32TimeCalls.configurePeers(PEERS), W32TimeCalls.RESYNC_SLEW,
                W32TimeCalls.regQuery(PARAMETERS_KEY, "NtpServer"));
        assertThat(windows.get(PARAMETERS_KEY, "NtpServer")).isEqualTo(PEERS);
        assertThat(windows.get(CONFIG_KEY, "MaxNegPhaseCorrection")).isEqualTo("0x3e8");
        try (var files = Files.list(backups)) {
            assertThat(files.toList()).singleElement().satisfies(copy -> assertThat(copy).content()
                    .contains("Config\\MinPollInterval\tREG_DWORD\t0xa").contains("Parameters\\NtpServer\tREG_SZ\ttime.windows.com,0x9"));
        }
        // A second run changes nothing: only the slew is left.
        assertThat(w32time.plan(selecting(SELECTED), SLEW).steps()).containsExactly(new Plan.SlewClock(2_000_000),
                run(W32TimeCalls.RESYNC_SLEW));
    }

    @Test
    void aPlanCarriesItsValuesSoAnotherCorrectorBacksUpAndAppliesIt() throws Exception {
        Plan plan = corrector(false).plan(selecting(SELECTED), SLEW);
        W32TimeCorrector other = corrector(false);
        windows.calls.clear();

        assertThat(other.apply(plan).verified()).isTrue();
        assertThat(windows.calls).startsWith(W32TimeCalls.regQuery(CONFIG_KEY, "MinPollInterval"));
        assertThat(windows.get(PARAMETERS_KEY, "NtpServer")).isEqualTo(PEERS);
        try (var files = Files.list(backups)) {
            assertThat(files.toList()).singleElement().satisfies(copy -> assertThat(copy).content()
                    .contains("Parameters\\NtpServer\tREG_SZ\ttime.windows.com,0x9").contains("Parameters\\Type\tREG_SZ\tNTP"));
        }
    }

    @Test
    void aStepW32timeCannotCarryOutExactlyIsRefusedAndNothingRuns() throws Exception {
        Plan.SetValue mismatched = new Plan.SetValue("registry", CONFIG_KEY, "MinPollInterval", "REG_DWORD", "6",
                W32TimeCalls.regAdd(CONFIG_KEY, "MaxPollInterval", "REG_DWORD", "6"));
        Plan plan = new Plan("w32time", List.of(mismatched), "test");

        assertThatThrownBy(() -> corrector(false).apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("MinPollInterval with reg add " + CONFIG_KEY + " /v MaxPollInterval")
                .hasMessageEndingWith("nothing was changed");
        assertThat(windows.calls).isEmpty();
        assertThat(windows.get(CONFIG_KEY, "MaxPollInterval")).isEqualTo("0xf");
        Plan withFile = new Plan("w32time", List.of(regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "6"),
                new Plan.WriteFile(backups.resolve("servers"), "x")), "test");
        assertThatThrownBy(() -> corrector(false).apply(withFile)).isInstanceOf(CorrectionException.class)
                .hasMessageStartingWith("w32time cannot carry out WriteFile").hasMessageEndingWith("nothing was changed");
        assertThat(windows.calls).isEmpty();
    }

    @Test
    void aStoppedDisabledServiceIsHealedFirst() throws Exception {
        windows.state = ScOutput.STOPPED;
        windows.startType = ScOutput.DISABLED;
        W32TimeCorrector w32time = corrector(false);
        Plan plan = w32time.plan(selecting(SELECTED), SLEW);
        assertThat(plan.steps().subList(0, 2)).containsExactly(run(List.of("sc", "config", "w32time", "start=", "auto")),
                run(List.of("sc", "start", "w32time")));
        assertThat(w32time.apply(plan).summary()).startsWith("ran sc config w32time start= auto; ran sc start w32time; ran reg add");
        assertThat(windows.state).isEqualTo(ScOutput.RUNNING);
        assertThat(windows.startType).isEqualTo(ScOutput.AUTO_START);
    }

    @Test
    void aServiceStartedOnDemandIsSetToStartWithWindows() throws Exception {
        windows.startType = ScOutput.DEMAND_START;
        Plan plan = corrector(false).plan(selecting(SELECTED), new Action(Kind.NONE, 0, "within threshold"));
        assertThat(plan.steps()).startsWith(run(W32TimeCalls.SC_AUTO_START));
        assertThat(plan.steps()).doesNotContain(run(W32TimeCalls.SC_START), run(W32TimeCalls.RESYNC_SLEW),
                run(W32TimeCalls.RESYNC_STEP));
    }

    @Test
    void aStepResyncsWithForceWithinThePhaseCorrectionLimits() throws Exception {
        Plan plan = corrector(false).plan(selecting(SELECTED), STEP);
        assertThat(plan.steps()).contains(regAdd(CONFIG_KEY, "MaxPosPhaseCorrection", "REG_DWORD", "1000"),
                regAdd(CONFIG_KEY, "MaxNegPhaseCorrection", "REG_DWORD", "1000"));
        assertThat(plan.steps().subList(plan.steps().size() - 2, plan.steps().size()))
                .containsExactly(new Plan.StepClock(250_000_000), run(List.of("w32tm", "/resync", "/force")));
    }

    @Test
    void aStepAllowedBeyondThePanicBoundRaisesTheLimitsForThatRun() throws Exception {
        Action huge = new Action(Kind.STEP, -3_600_000_000_000L, "allowed large step");
        Plan plan = corrector(false).plan(selecting(SELECTED), huge);
        assertThat(plan.steps()).contains(regAdd(CONFIG_KEY, "MaxPosPhaseCorrection", "REG_DWORD", "3601"),
                regAdd(CONFIG_KEY, "MaxNegPhaseCorrection", "REG_DWORD", "3601"), new Plan.StepClock(-3_600_000_000_000L),
                run(W32TimeCalls.RESYNC_STEP));
    }

    @Test
    void beyondThePanicBoundThePolicyRefusesAndThePlanCorrectsNothing() throws Exception {
        Action refused = CorrectionPolicy.defaults().decide(Mode.FAST, 3_600_000_000_000L, null, null, 0);
        assertThat(refused.kind()).isEqualTo(Kind.REFUSE);
        Plan plan = corrector(false).plan(selecting(SELECTED), refused);
        assertThat(plan.reason()).contains("panic bound");
        assertThat(plan.steps()).noneMatch(s -> s instanceof Plan.StepClock || s instanceof Plan.SlewClock)
                .doesNotContain(run(W32TimeCalls.RESYNC_STEP), run(W32TimeCalls.RESYNC_SLEW));
    }

    @Test
    void aFailingCommandsOwnTextReachesTheExceptionAndTheRegistryIsRestored() throws Exception {
        Map<String, String[]> before = snapshot();
        W32TimeCorrector w32time = corrector(false);
        Plan plan = w32time.plan(selecting(SELECTED), SLEW);
        windows.fail(W32TimeCalls.configurePeers(PEERS), -2147023834, Recorded.crlf("config-update-not-started.txt"));
        assertThatThrownBy(() -> w32time.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("w32tm /config /manualpeerlist:" + PEERS + " /syncfromflags:manual /update failed")
                .hasMessageContaining("The following error occurred: The service has not been started. (0x80070426)")
                .hasMessageContaining("the previous registry values were restored")
                .satisfies(e -> assertThat(((CorrectionException) e).rolledBack()).isTrue());
        assertThat(snapshot()).isEqualTo(before);
        assertThat(windows.calls).contains(W32TimeCalls.regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "10"),
                W32TimeCalls.regAdd(PARAMETERS_KEY, "NtpServer", "REG_SZ", "time.windows.com,0x9"));
        assertThat(windows.calls.get(windows.calls.size() - 1)).isEqualTo(W32TimeCalls.UPDATE);
        // Nothing was resynchronised.
        assertThat(windows.calls).doesNotContain(W32TimeCalls.RESYNC_SLEW);
    }

    @Test
    void aValueThatDidNotExistIsDeletedAgain() throws Exception {
        windows.registry.remove(CONFIG_KEY + "\\MinPollInterval");
        W32TimeCorrector w32time = corrector(false);
        Plan plan = w32time.plan(selecting(SELECTED), SLEW);
        windows.fail(W32TimeCalls.RESYNC_SLEW, 1, "The following error occurred: The device is not ready. (0x80070015)");
        assertThatThrownBy(() -> w32time.apply(plan)).isInstanceOf(CorrectionException.class).hasMessageContaining("0x80070015");
        assertThat(windows.get(CONFIG_KEY, "MinPollInterval")).isNull();
        assertThat(windows.calls).contains(W32TimeCalls.regDelete(CONFIG_KEY, "MinPollInterval"));
    }

    @Test
    void accessDeniedIsTold() throws Exception {
        W32TimeCorrector w32time = corrector(false);
        Plan plan = w32time.plan(selecting(SELECTED), SLEW);
        List<String> first = W32TimeCalls.regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "6");
        windows.fail(first, 1, Recorded.crlf("reg-add-access-denied.CONSTRUCTED.txt"));
        assertThatThrownBy(() -> w32time.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("ERROR: Access is denied.")
                .satisfies(e -> assertThat(e.getCause()).isInstanceOfSatisfying(CommandFailure.class,
                        f -> assertThat(f.accessDenied()).isTrue()));
        windows.failures.clear();
        windows.fail(W32TimeCalls.SC_QUERY, 5, Recorded.crlf("sc-access-denied.CONSTRUCTED.txt"));
        assertThatThrownBy(() -> w32time.plan(selecting(SELECTED), SLEW)).isInstanceOfSatisfying(CommandFailure.class,
                f -> assertThat(f.accessDenied()).isTrue());
    }

    @Test
    void rollbackRestoresTheValuesBeforeTheLastChange() throws Exception {
        Map<String, String[]> before = snapshot();
        W32TimeCorrector w32time = corrector(false);
        assertThatThrownBy(w32time::rollback).isInstanceOf(CorrectionException.class).hasMessageContaining("no backup");
        w32time.apply(w32time.plan(selecting(SELECTED), SLEW));
        assertThat(windows.get(PARAMETERS_KEY, "NtpServer")).isEqualTo(PEERS);
        windows.calls.clear();
        Path restored = w32time.rollback();
        assertThat(restored.getFileName().toString()).startsWith("w32time-registry.");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(windows.calls).startsWith(W32TimeCalls.regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "10"))
                .endsWith(W32TimeCalls.UPDATE);
    }

    @Test
    void aDomainMemberIsLeftAloneUnlessForced() throws Exception {
        windows.set(PARAMETERS_KEY, "Type", "REG_SZ", "NT5DS");
        Plan plan = corrector(false).plan(selecting(SELECTED), SLEW);
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.reason()).contains("domain hierarchy").contains("NT5DS").contains("--force-domain");
        Plan forced = corrector(true).plan(selecting(SELECTED), SLEW);
        assertThat(forced.reason()).startsWith("forced off the domain hierarchy (Type NT5DS)");
        assertThat(forced.steps()).contains(regAdd(PARAMETERS_KEY, "Type", "REG_SZ", "NTP"),
                peers(PEERS));
    }

    @Test
    void aServerOnAnotherPortGoesInByItsHostAndNoServiceIsAClearError() throws Exception {
        Plan plan = corrector(false).plan(selecting(List.of("192.0.2.9:4123")), SLEW);
        assertThat(plan.steps()).contains(peers("192.0.2.9,0x8"));
        assertThat(plan.reason()).startsWith(OTHER_PORT);
        windows.installed = false;
        assertThatThrownBy(() -> corrector(false).plan(selecting(SELECTED), SLEW)).isInstanceOf(IOException.class)
                .hasMessageContaining("not installed").hasMessageContaining("w32tm /register");
    }

    @Test
    void peerListsAreOneArgumentOfValidatedHosts() {
        List<String> left = new ArrayList<>();
        assertThat(W32TimeCommands.peerList(List.of("a.example:123", "a.example:123", "[2001:db8::1]:123", "b.example:4123",
                "b.example:123"), left)).isEqualTo("a.example,0x8 2001:db8::1,0x8 b.example,0x8");
        assertThat(left).containsExactly("b.example:4123 was measured on port 4123; w32time asks b.example on port 123, the only"
                + " port it talks to");
        assertThat(W32TimeCommands.configurePeers("a,0x8 b,0x8")).containsExactly("w32tm", "/config", "/manualpeerlist:a,0x8 b,0x8",
                "/syncfromflags:manual", "/update");
        assertThatThrownBy(() -> W32TimeCommands.peerList(List.of("a b:123"), left)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> W32TimeCommands.peerList(List.of("x\" /update & calc:123"), left))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPlanForReviewListsEverySettingAndRunsNothing() throws Exception {
        W32TimeCorrector review = W32TimeCorrector.forReview(W32TimeSettings.defaults(Duration.ofSeconds(1000)), TIMEOUT, false);
        Plan plan = review.plan(selecting(SELECTED), STEP);
        assertThat(plan.steps()).containsExactly(
                regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", "6"),
                regAdd(CONFIG_KEY, "MaxPollInterval", "REG_DWORD", "10"),
                regAdd(CONFIG_KEY, "MaxPosPhaseCorrection", "REG_DWORD", "1000"),
                regAdd(CONFIG_KEY, "MaxNegPhaseCorrection", "REG_DWORD", "1000"),
                regAdd(PARAMETERS_KEY, "Type", "REG_SZ", "NTP"),
                peers(PEERS),
                new Plan.StepClock(250_000_000),
                run(W32TimeCalls.RESYNC_STEP));
        assertThat(plan.reason()).startsWith("planned without asking the machine").endsWith(STEP.reason());
        assertThatThrownBy(() -> review.apply(plan)).isInstanceOf(CorrectionException.class).hasMessageContaining("cannot be applied");
        assertThatThrownBy(review::rollback).isInstanceOf(CorrectionException.class);
    }

    @Test
    void groupPolicyOverridingTheKeysIsSaidInThePlan() throws Exception {
        // The recorded configuration with two of its values set by policy instead of locally.
        windows.configuration = Recorded.crlf("configuration-verbose-high-accuracy.txt")
                .replace("MaxPollInterval: 6 (Local)", "MaxPollInterval: 6 (Policy)")
                .replace("NtpServer: ntp0.as34288.net,0x9 (Local)", "NtpServer: ntp0.as34288.net,0x9 (Policy)");
        Plan plan = corrector(false).plan(selecting(SELECTED), SLEW);
        assertThat(plan.reason()).startsWith("Group Policy sets MaxPollInterval, NtpServer: w32time uses the policy's values")
                .endsWith(SLEW.reason());
        // A stopped service cannot tell: nothing is said, and the plan heals it.
        windows.state = ScOutput.STOPPED;
        assertThat(corrector(false).plan(selecting(SELECTED), SLEW).reason()).isEqualTo(OTHER_PORT + SLEW.reason());
    }

    @ParameterizedTest
    @CsvSource({"FAST,6,10", "ULTRAFAST,6,8", "LAZY,10,15"})
    void eachModeWritesItsPollRangeNeverBelow64Seconds(Mode mode, int min, int max) throws Exception {
        W32TimeCorrector w32time = new W32TimeCorrector(W32TimeSettings.forMode(mode, Duration.ofSeconds(1000)), backups, windows,
                TimeSource.system(), TIMEOUT, 3, false);
        Plan plan = w32time.plan(selecting(SELECTED), SLEW);
        // The machine has w32time's standalone defaults, 10 and 15: only values that differ are written.
        Plan.SetValue writeMin = regAdd(CONFIG_KEY, "MinPollInterval", "REG_DWORD", Integer.toString(min));
        Plan.SetValue writeMax = regAdd(CONFIG_KEY, "MaxPollInterval", "REG_DWORD", Integer.toString(max));
        assertThat(plan.steps().contains(writeMin)).isEqualTo(min != 10);
        assertThat(plan.steps().contains(writeMax)).isEqualTo(max != 15);
        w32time.apply(plan);
        assertThat(windows.get(CONFIG_KEY, "MinPollInterval")).isEqualTo("0x" + Integer.toHexString(min));
        assertThat(windows.get(CONFIG_KEY, "MaxPollInterval")).isEqualTo("0x" + Integer.toHexString(max));
        assertThat(min).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aValueOfTheWrongTypeIsRewritten() throws Exception {
        windows.set(CONFIG_KEY, "MaxPollInterval", "REG_SZ", "ten");
        assertThat(corrector(false).plan(selecting(SELECTED), SLEW).steps())
                .contains(regAdd(CONFIG_KEY, "MaxPollInterval", "REG_DWORD", "10"));
    }

    private Map<String, String[]> snapshot() {
        Map<String, String[]> copy = new java.util.TreeMap<>();
        windows.registry.forEach((k, v) -> copy.put(k, v.clone()));
        return new java.util.TreeMap<>(copy) {
            @Override
            public boolean equals(Object o) {
                if (!(o instanceof Map<?, ?> other) || other.size() != size()) {
                    return false;
                }
                return entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), (String[]) other.get(e.getKey())));
            }
        };
    }
}
