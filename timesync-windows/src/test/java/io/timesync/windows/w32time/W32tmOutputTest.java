package io.timesync.windows.w32time;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The w32tm parsers on outputs recorded on real machines (src/test/resources/w32time/README.md). */
class W32tmOutputTest {

    @Test
    void statusOfASynchronisedEnglishMachine() {
        W32tmStatus s = W32tmStatus.parse(Recorded.read("status-verbose-en-hold.txt"));
        assertThat(s.leap()).isZero();
        assertThat(s.stratum()).isEqualTo(4);
        assertThat(s.precision()).isEqualTo(-23);
        assertThat(s.rootDelayNanos()).isEqualTo(15_490_200);
        assertThat(s.rootDispersionNanos()).isEqualTo(7_777_372_200L);
        assertThat(s.referenceId()).isEqualTo(0x14653909);
        assertThat(s.lastSync()).isEqualTo("9/11/2025 2:32:05 PM");
        assertThat(s.source()).isEqualTo("time.windows.com,0x9");
        assertThat(s.sourceHost()).isEqualTo("time.windows.com");
        assertThat(s.pollInterval()).isEqualTo(10);
        assertThat(s.phaseOffsetNanos()).isEqualTo(-3_814_700);
        assertThat(s.stateMachine()).isEqualTo(1);
        assertThat(s.lastSyncError()).isEqualTo(2);
        assertThat(s.sinceLastGoodSyncNanos()).isEqualTo(2_820_199_748_000L);
        assertThat(s.synchronised()).isTrue();
    }

    @Test
    void aServiceThatNeverSynchronisedIsNotSynchronised() {
        W32tmStatus s = W32tmStatus.parse(Recorded.read("status-verbose-en-unsynced.txt"));
        assertThat(s.leap()).isEqualTo(3);
        assertThat(s.stratum()).isZero();
        assertThat(s.source()).isEqualTo("Local CMOS Clock");
        assertThat(s.sourceHost()).isEqualTo("Local CMOS Clock");
        assertThat(s.lastSync()).isEqualTo("unspecified");
        assertThat(s.lastSyncError()).isEqualTo(1);
        assertThat(s.synchronised()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // file | stratum | precision | phase offset ns | reference id | source | poll | state | last error | since last sync ns
        "status-verbose-en-vmic.txt | 4 | -23 | 86900 | 564D5450 | VM IC Time Synchronization Provider | 6 | 2 | 0 | 19482364400",
        "status-verbose-zh.txt | 2 | -6 | 1200 | 81861B7B | time.facebook.com | 6 | 2 | 0 | 13479550300",
        "status-verbose-fr.txt | 4 | -23 | 1532100 | 564D5450 | VM IC Time Synchronization Provider | 6 | 1 | 0 | 22093014700",
        "status-verbose-de-wrapped.txt | 3 | -23 | -371700 | AC689AB6 | de.pool.ntp.org | 13 | 2 | 2 | 4812798107100",
        "status-verbose-de-decimal-comma.CONSTRUCTED.txt | 3 | -23 | -371700 | AC689AB6 | de.pool.ntp.org | 13 | 2 | 2 | 4812798107100",
    })
    void localisedStatusIsReadByPosition(String file, int stratum, int precision, long offset, String refid, String source,
                                         int poll, int state, int lastError, long since) {
        for (String text : new String[] {Recorded.read(file), Recorded.crlf(file)}) {
            W32tmStatus s = W32tmStatus.parse(text);
            assertThat(s.stratum()).isEqualTo(stratum);
            assertThat(s.precision()).isEqualTo(precision);
            assertThat(s.phaseOffsetNanos()).isEqualTo(offset);
            assertThat(s.referenceId()).isEqualTo((int) Long.parseLong(refid, 16));
            assertThat(s.source()).isEqualTo(source);
            assertThat(s.pollInterval()).isEqualTo(poll);
            assertThat(s.stateMachine()).isEqualTo(state);
            assertThat(s.lastSyncError()).isEqualTo(lastError);
            assertThat(s.sinceLastGoodSyncNanos()).isEqualTo(since);
        }
    }

    @Test
    void theGermanWrappedLineDoesNotShiftTheFieldsAfterIt() {
        W32tmStatus s = W32tmStatus.parse(Recorded.read("status-verbose-de-wrapped.txt"));
        assertThat(s.rootDelayNanos()).isEqualTo(33_633_200);
        assertThat(s.lastSync()).isEqualTo("15.09.2025 13:12:56");
        assertThat(s.sinceLastGoodSyncNanos()).isEqualTo(4_812_798_107_100L);
    }

    @Test
    void withoutVerboseThereIsNoPhaseOffset() {
        String basic = String.join("\n", Recorded.read("status-verbose-en-hold.txt").lines().limit(9).toList());
        W32tmStatus s = W32tmStatus.parse(basic);
        assertThat(s.pollInterval()).isEqualTo(10);
        assertThat(s.phaseOffsetNanos()).isNull();
        assertThat(s.stateMachine()).isNull();
    }

    @Test
    void aStoppedServiceGivesW32tmsOwnErrorLine() {
        assertThatIllegalArgumentException().isThrownBy(() -> W32tmStatus.parse(Recorded.read("status-not-started.txt")))
                .withMessage("w32tm reports: The following error occurred: The service has not been started. (0x80070426)");
        assertThat(W32tmStatus.errorLine(Recorded.crlf("config-update-not-started.txt")))
                .contains("The following error occurred: The service has not been started. (0x80070426)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\r\n", "Leap Indicator: 0(no warning)\nStratum: 4\n"})
    void emptyAndTruncatedStatusAreRejected(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> W32tmStatus.parse(text)).withMessageContaining("not the output of 'w32tm /query /status'");
    }

    @Test
    void malformedFieldsAreNamed() {
        String text = Recorded.read("status-verbose-en-hold.txt").replace("Root Delay: 0.0154902s", "Root Delay: soon");
        assertThatIllegalArgumentException().isThrownBy(() -> W32tmStatus.parse(text)).withMessageContaining("field 4")
                .withMessageContaining("soon");
        String refid = Recorded.read("status-verbose-en-hold.txt").replace("0x14653909", "none");
        assertThatIllegalArgumentException().isThrownBy(() -> W32tmStatus.parse(refid)).withMessageContaining("reference id");
    }

    @Test
    void stripchartAgainstADomainController() {
        Stripchart chart = Stripchart.parse(Recorded.crlf("stripchart-dataonly-dc.txt"));
        assertThat(chart.target()).isEqualTo("172.16.2.1:123");
        assertThat(chart.samples()).extracting(Stripchart.Sample::offsetNanos)
                .containsExactly(958_300L, 1_869_800L, 214_400L, 469_300L, -112_900L);
        assertThat(chart.samples().get(0).time()).isEqualTo("04:17:25");
        assertThat(chart.samples().get(0).delayNanos()).isNull();
        assertThat(chart.failures()).isEmpty();
        assertThat(chart.medianOffsetNanos()).isEqualTo(469_300L);
    }

    @Test
    void stripchartAgainstALanServer() {
        Stripchart chart = Stripchart.parse(Recorded.read("stripchart-dataonly-esp32.txt"));
        assertThat(chart.target()).isEqualTo("192.168.7.24:123");
        assertThat(chart.samples()).hasSize(5);
        assertThat(chart.medianOffsetNanos()).isEqualTo(1_703_500L);
    }

    @Test
    void stripchartVariantsErrorsAndEvenCounts() {
        // Constructed lines in the forms w32tm prints: an unanswered sample, the graph form with d: and o:, a decimal comma.
        Stripchart chart = Stripchart.parse("""
                Tracking time.example [192.0.2.1:123].
                10:26:45, error: 0x800705B4
                10:26:47 d:+00.0425748s o:-00.0011000s  [           *|           ]
                10:26:49, +00,0000500s
                """);
        assertThat(chart.failures()).containsExactly("10:26:45 0x800705B4");
        assertThat(chart.samples()).containsExactly(new Stripchart.Sample("10:26:47", -1_100_000, 42_574_800L),
                new Stripchart.Sample("10:26:49", 50_000, null));
        assertThat(chart.medianOffsetNanos()).isEqualTo(-525_000);
        assertThatIllegalArgumentException().isThrownBy(() -> Stripchart.parse(Recorded.read("status-not-started.txt")))
                .withMessageContaining("0x80070426");
        assertThatIllegalArgumentException().isThrownBy(() -> Stripchart.parse("")).withMessageContaining("empty");
        assertThatIllegalArgumentException().isThrownBy(() -> Stripchart.parse("10:26:45, garbage")).withMessageContaining("garbage");
    }

    @Test
    void scQueryAndQc() {
        assertThat(ScOutput.state(Recorded.crlf("sc-start-pending.txt"))).isEqualTo(ScOutput.START_PENDING);
        assertThat(ScOutput.stateName(Recorded.read("sc-start-pending.txt"))).isEqualTo("START_PENDING");
        assertThat(ScOutput.state(Recorded.read("sc-query-running.CONSTRUCTED.txt"))).isEqualTo(ScOutput.RUNNING);
        assertThat(ScOutput.state(Recorded.read("sc-query-stopped.txt"))).isEqualTo(ScOutput.STOPPED);
        assertThat(ScOutput.startType(Recorded.crlf("sc-qc-delayed-auto.txt"))).isEqualTo(ScOutput.AUTO_START);
        assertThat(ScOutput.delayed(Recorded.read("sc-qc-delayed-auto.txt"))).isTrue();
        assertThat(ScOutput.startType(Recorded.read("sc-qc-disabled.CONSTRUCTED.txt"))).isEqualTo(ScOutput.DISABLED);
        assertThat(ScOutput.delayed(Recorded.read("sc-qc-demand.CONSTRUCTED.txt"))).isFalse();
        assertThat(ScOutput.failure(Recorded.read("sc-start-pending.txt"))).isEmpty();
        assertThat(ScOutput.failure(Recorded.read("sc-access-denied.CONSTRUCTED.txt"))).hasValue(ScOutput.ACCESS_DENIED);
        assertThat(ScOutput.failureText(Recorded.read("sc-access-denied.CONSTRUCTED.txt"))).contains("Access is denied.");
        assertThat(ScOutput.failure(Recorded.read("sc-not-installed.CONSTRUCTED.txt"))).hasValue(ScOutput.NO_SUCH_SERVICE);
        assertThatIllegalArgumentException().isThrownBy(() -> ScOutput.state("")).withMessageContaining("no STATE");
        assertThatIllegalArgumentException().isThrownBy(() -> ScOutput.startType(Recorded.read("sc-start-pending.txt")))
                .withMessageContaining("no START_TYPE");
    }

    @Test
    void regQueryOfTheServiceKey() {
        RegistryValues values = RegistryValues.parse(Recorded.crlf("reg-query-service-key.txt"));
        assertThat(values.key()).isEqualTo("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\W32Time");
        assertThat(values.values()).hasSize(10);
        assertThat(values.get("start")).hasValue(new RegistryValues.Value("REG_DWORD", "0x2"));
        assertThat(values.get("Start").orElseThrow().number()).isEqualTo(2);
        assertThat(values.get("ImagePath").orElseThrow().data()).isEqualTo("%SystemRoot%\\system32\\svchost.exe -k LocalService");
        assertThat(values.get("ObjectName").orElseThrow().data()).isEqualTo("NT AUTHORITY\\LocalService");
        assertThat(values.get("Config")).isEmpty();
        assertThat(RegistryValues.parse(Recorded.read("reg-query-absent.CONSTRUCTED.txt")).values()).isEmpty();
        assertThat(RegistryValues.parse("").values()).isEmpty();
        // An empty REG_SZ: reg prints the name and type only.
        assertThat(RegistryValues.parse("\r\nHKEY_LOCAL_MACHINE\\X\r\n    NtpServer    REG_SZ    \r\n").get("NtpServer"))
                .hasValue(new RegistryValues.Value("REG_SZ", ""));
    }

    @Test
    void configurationShowsValuesAndTheirSource() {
        W32tmConfiguration c = W32tmConfiguration.parse(Recorded.crlf("configuration-verbose-high-accuracy.txt"));
        assertThat(c.get("MinPollInterval")).hasValue(new W32tmConfiguration.Entry("6", "Local"));
        assertThat(c.get("MaxPosPhaseCorrection").orElseThrow().value()).isEqualTo("4294967295");
        assertThat(c.get("FileLogName")).hasValue(new W32tmConfiguration.Entry("", "Undefined or NotUsed"));
        assertThat(c.get("NtpClient/Type")).hasValue(new W32tmConfiguration.Entry("NTP", "Local"));
        assertThat(c.get("NtpClient/NtpServer").orElseThrow().value()).isEqualTo("ntp0.as34288.net,0x9");
        assertThat(c.get("NtpClient/EventLogFlags").orElseThrow().value()).isEqualTo("1");
        assertThat(c.get("EventLogFlags").orElseThrow().value()).isEqualTo("2");
        assertThat(c.get("NtpClient/DllName").orElseThrow().value()).isEqualTo("C:\\WINDOWS\\system32\\w32time.dll");
        assertThat(c.get("NtpClient/Type").orElseThrow().fromPolicy()).isFalse();
        assertThat(new W32tmConfiguration.Entry("NT5DS", "Policy").fromPolicy()).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> W32tmConfiguration.parse(Recorded.read("config-update-not-started.txt")))
                .withMessageContaining("0x80070426");
    }

    @Test
    void configurationThatIsEmptyOrNotW32tmsIsAClearError() {
        for (String output : List.of("", "\r\n\r\n", "[Configuration]\r\n\r\n", "garbage without a colon\r\n")) {
            assertThatIllegalArgumentException().as("%s", output).isThrownBy(() -> W32tmConfiguration.parse(output))
                    .withMessage("not the output of 'w32tm /query /configuration'");
        }
        // A setting line cut off before its source is not read as a setting; the whole ones around it are.
        W32tmConfiguration cut = W32tmConfiguration.parse("[Configuration]\r\nEventLogFlags: 2 (Local)\r\nAnnounceFlags: 10 (Lo\r\n"
                + "NtpClient (Local)\r\nType: NTP (Local)\r\n");
        assertThat(cut.entries().keySet()).containsExactly("EventLogFlags", "NtpClient/Type");
        assertThat(cut.get("AnnounceFlags")).isEmpty();
    }

    @Test
    void whoamiGroupsTellsAnElevatedTokenByItsIntegrityLevel() {
        assertThat(io.timesync.windows.WindowsPlatform.elevated(Recorded.crlf("whoami-groups-high.txt"))).isTrue();
        // An Administrator's prompt that is not elevated: Administrators is deny-only and the level Medium.
        assertThat(io.timesync.windows.WindowsPlatform.elevated(Recorded.crlf("whoami-groups-medium.txt"))).isFalse();
        assertThat(io.timesync.windows.WindowsPlatform.elevated("")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0.0154902s|15490200", "-0.0038147s|-3814700", "+00.0009583s|958300",
        "0,0336332s|33633200", "2820.1997480s|2820199748000", "1|1000000000", "-00.0000001s|-100", "0.00000005s|50", "0.0000000015s|2"})
    void seconds(String text, long nanos) {
        assertThat(Seconds.nanos(text)).isEqualTo(nanos);
    }
}
