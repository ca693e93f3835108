package io.timesync.unix.timesyncd;

import io.timesync.agent.Sleeper;
import io.timesync.time.TimeSource;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.CorrectionPolicy.Kind;
import io.timesync.correct.Plan;
import io.timesync.select.Decision;
import io.timesync.memo.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * The timesyncd corrector. systemd does not run where the tests run, so its two commands go to a
 * recording runner that answers them as systemd would and fails on any other command; the parser is
 * checked on real outputs recorded elsewhere (src/test/resources/timesyncd/README.md).
 */
class TimesyncdCorrectorTest {

    private static final Action SLEW = new Action(Kind.SLEW, 2_000_000, "test");

    @TempDir
    Path root;

    private static final List<String> RESTART = List.of("systemctl", "restart", "systemd-timesyncd");
    private static final List<String> SHOW = List.of("timedatectl", "show-timesync", "--all");

    /** Answers restart with success and show-timesync with {@code shown}; anything else is a bug. */
    private static final class Systemd implements CommandRunner {
        final List<List<String>> calls = new ArrayList<>();
        String shown;
        boolean restartFails;

        @Override
        public Result run(List<String> argv, Duration timeout) {
            calls.add(argv);
            if (argv.equals(RESTART)) {
                return new Result(argv, restartFails ? 1 : 0, "",
                        restartFails ? "Job for systemd-timesyncd.service failed because the control process exited with error code.\n" : "");
            }
            if (argv.equals(SHOW)) {
                return new Result(argv, 0, shown, "");
            }
            throw new AssertionError("unexpected command " + argv);
        }
    }

    private final Systemd systemd = new Systemd();

    private Path dropIn() {
        return root.resolve("etc/systemd/timesyncd.conf.d/timesync.conf");
    }

    private TimesyncdCorrector corrector(Duration verify) {
        return new TimesyncdCorrector(dropIn(), root.resolve("backups"), systemd, TimeSource.system(), Sleeper.on(TimeSource.system()), Duration.ofSeconds(5),
                verify, 3);
    }

    private static Decision deciding(List<String> selected, String... standby) {
        List<Decision.Verdict> verdicts = new ArrayList<>();
        for (String key : standby) {
            verdicts.add(new Decision.Verdict(key, null, Decision.Kind.STANDBY, 90, java.util.Map.of(), "good"));
        }
        return new Decision(verdicts, new Selection(selected, null, 0), Decision.Outcome.FIRST_SELECTION, "test");
    }

    @Test
    void theDropInNamesTheSelectionAndTheStandbys() {
        assertThat(TimesyncdCorrector.dropInContent(List.of("192.0.2.1:123", "time.example:123", "192.0.2.9:4123"),
                List.of("192.0.2.2:123", "192.0.2.1:123"))).isEqualTo("""
                # Installed by TimeSync: 'timesync sync' rewrites this file.
                # 192.0.2.9:4123 left out: systemd-timesyncd talks to port 123 only
                [Time]
                NTP=192.0.2.1 time.example
                FallbackNTP=192.0.2.2
                """);
        assertThatIllegalArgumentException().isThrownBy(() -> TimesyncdCorrector.dropInContent(List.of("a b:123"), List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> TimesyncdCorrector.dropInContent(List.of("x\nNTP=evil"), List.of()));
    }

    @Test
    void noPort123ServerMeansNoChange() {
        assertThatThrownBy(() -> corrector(Duration.ofSeconds(1)).plan(deciding(List.of("127.0.0.1:4123")), SLEW))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("none of the selected servers is on port 123");
        assertThat(dropIn()).doesNotExist();
        assertThat(systemd.calls).isEmpty();
    }

    @Test
    void writesRestartsAndVerifiesWithTimedatectl() throws Exception {
        TimesyncdCorrector timesyncd = corrector(Duration.ofSeconds(2));
        Plan plan = timesyncd.plan(deciding(List.of("192.0.2.1:123", "192.0.2.3:123"), "192.0.2.2:123"), SLEW);
        assertThat(plan.service()).isEqualTo(timesyncd.service());
        assertThat(plan.steps()).containsExactly(new Plan.WriteFile(dropIn(), TimesyncdCorrector.dropInContent(
                List.of("192.0.2.1:123", "192.0.2.3:123"), List.of("192.0.2.2:123"))),
                new Plan.RunCommand(RESTART, Duration.ofSeconds(5)), new Plan.SlewClock(2_000_000));
        systemd.shown = "SystemNTPServers=192.0.2.1 192.0.2.3\nFallbackNTPServers=192.0.2.2\nServerName=192.0.2.1\n";
        assertThat(timesyncd.apply(plan).verified()).isTrue();
        assertThat(systemd.calls).containsExactly(RESTART, SHOW);
        assertThat(dropIn()).content().contains("NTP=192.0.2.1 192.0.2.3\n");
        // Nothing changes the second time.
        assertThat(timesyncd.plan(deciding(List.of("192.0.2.1:123", "192.0.2.3:123"), "192.0.2.2:123"), SLEW).steps())
                .containsExactly(new Plan.SlewClock(2_000_000));
    }

    @Test
    void serversTimesyncdDoesNotReportAreRolledBack() throws Exception {
        Files.createDirectories(dropIn().getParent());
        Files.writeString(dropIn(), "[Time]\nNTP=198.51.100.7\n");
        systemd.shown = "SystemNTPServers=198.51.100.7\n";
        TimesyncdCorrector timesyncd = corrector(Duration.ofMillis(300));
        Plan plan = timesyncd.plan(deciding(List.of("192.0.2.1:123")), SLEW);
        assertThatThrownBy(() -> timesyncd.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("reports NTP servers [198.51.100.7], not [192.0.2.1]")
                .hasMessageContaining("the previous timesync.conf was restored and timesyncd restarted");
        assertThat(dropIn()).hasContent("[Time]\nNTP=198.51.100.7\n");
        assertThat(systemd.calls.get(systemd.calls.size() - 1)).isEqualTo(RESTART);
    }

    @Test
    void aFailedRestartRemovesADropInThatDidNotExist() throws Exception {
        systemd.restartFails = true;
        TimesyncdCorrector timesyncd = corrector(Duration.ofSeconds(1));
        Plan plan = timesyncd.plan(deciding(List.of("192.0.2.1:123")), SLEW);
        assertThatThrownBy(() -> timesyncd.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("Job for systemd-timesyncd.service failed");
        assertThat(dropIn()).doesNotExist();
    }

    @Test
    void aPreviousDropInWithAByteThatIsNotUtf8IsBackedUpAndRestoredByteForByte() throws Exception {
        Files.createDirectories(dropIn().getParent());
        byte[] before = "# serveur de l'\u00e9quipe\n[Time]\nNTP=198.51.100.7\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(dropIn(), before);
        systemd.shown = "SystemNTPServers=192.0.2.1\n";
        TimesyncdCorrector timesyncd = corrector(Duration.ofSeconds(1));
        assertThat(timesyncd.apply(timesyncd.plan(deciding(List.of("192.0.2.1:123")), SLEW)).verified()).isTrue();
        assertThat(dropIn()).content().contains("NTP=192.0.2.1\n");
        systemd.shown = "SystemNTPServers=198.51.100.7\n";
        timesyncd.rollback();
        assertThat(dropIn()).hasBinaryContent(before);
    }

    @Test
    void rollbackRestoresThePreviousDropIn() throws Exception {
        Files.createDirectories(dropIn().getParent());
        Files.writeString(dropIn(), "[Time]\nNTP=198.51.100.7\n");
        systemd.shown = "SystemNTPServers=192.0.2.1\n";
        TimesyncdCorrector timesyncd = corrector(Duration.ofSeconds(1));
        timesyncd.apply(timesyncd.plan(deciding(List.of("192.0.2.1:123")), SLEW));
        systemd.shown = "SystemNTPServers=198.51.100.7\n";
        assertThat(timesyncd.rollback().getFileName().toString()).startsWith("timesync.conf.");
        assertThat(dropIn()).hasContent("[Time]\nNTP=198.51.100.7\n");
    }

    @Test
    void parsesARealShowTimesyncOutput() throws Exception {
        TimesyncProperties p = TimesyncProperties.parse(recorded("show-timesync-ubuntu.txt"));
        assertThat(p.serverName()).isEqualTo("ntp.ubuntu.com");
        assertThat(p.serverAddress()).isEqualTo("2620:2d:4000:1::3f");
        assertThat(p.fallbackServers()).containsExactly("ntp.ubuntu.com");
        assertThat(p.systemServers()).isEmpty();
        assertThat(p.values().get("NTPMessage")).startsWith("{ Leap=0, Version=4, Mode=4, Stratum=2,").endsWith("Jitter=279.841ms }");
        assertThat(p.values().get("PollIntervalUSec")).isEqualTo("17min 4s");
    }

    @Test
    void parsesARealShowTimesyncAllOutputWithItsEmptyProperties() throws Exception {
        TimesyncProperties p = TimesyncProperties.parse(recorded("show-timesync-all-north-america.txt"));
        assertThat(p.values()).containsEntry("LinkNTPServers", "").containsEntry("RuntimeNTPServers", "");
        assertThat(p.systemServers()).containsExactly("0.north-america.pool.ntp.org", "1.north-america.pool.ntp.org",
                "2.north-america.pool.ntp.org", "3.north-america.pool.ntp.org");
        assertThat(p.fallbackServers()).containsExactly("0.pool.ntp.org", "1.pool.ntp.org", "0.fr.pool.ntp.org");
        assertThat(p.serverAddress()).isEqualTo("104.131.155.175");
        // The same machine's timesync-status said "Frequency: +20.986ppm".
        assertThat(p.frequencyPpm()).isCloseTo(20.986, offset(0.0005));
        assertThat(TimesyncProperties.parse("ServerName=\n").frequencyPpm()).isNaN();
    }

    @Test
    void theHumanStatusFormatIsNotMistakenForProperties() throws Exception {
        assertThatIllegalArgumentException().isThrownBy(() -> TimesyncProperties.parse(recorded("timesync-status-no-contact.txt")))
                .withMessageContaining("not a property line");
    }

    private static String recorded(String name) throws Exception {
        try (InputStream in = TimesyncdCorrectorTest.class.getResourceAsStream("/timesyncd/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
