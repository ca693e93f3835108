package io.timesync.unix.ntpsec;

import io.timesync.agent.Sleeper;
import io.timesync.time.TimeSource;
import io.timesync.correct.Backups;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.CorrectionPolicy.Kind;
import io.timesync.correct.Plan;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.select.Decision;
import io.timesync.memo.Selection;
import io.timesync.testing.RequiredTool;
import io.timesync.unix.host.ManagedBlock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ntpsec corrector against a real NTPsec ntpd on 127.0.0.1:123 that cannot set the clock
 * ({@code setpriv --bounding-set=-sys_time}), with a local reference clock; a script restarts it as
 * systemctl would. The selected servers need not answer: ntpd lists them as soon as it reads them.
 * ntpd refuses every loopback address as a server but 127.0.0.1 and ::1 (its own), so those are used.
 */
class NtpsecCorrectorTest {

    private static final Action SLEW = new Action(Kind.SLEW, 500_000, "test");

    @TempDir
    Path dir;
    private Path ntpd;
    private Path ntpq;
    private Path pythonPath;
    private Path conf;
    private Path pid;
    private Path restart;
    private String userLines;

    @BeforeEach
    void start() throws Exception {
        Path ntpsec = Path.of(System.getenv().getOrDefault("TIMESYNC_NTPSEC_ROOT", "/"));
        ntpd = ntpsec.resolve("usr/sbin/ntpd");
        ntpq = ntpsec.resolve("usr/bin/ntpq");
        pythonPath = ntpsec.resolve("usr/lib/python3/dist-packages");
        if (!Files.isExecutable(ntpd) || !Files.isRegularFile(ntpq)) {
            RequiredTool.missing("NTPsec is not available (set TIMESYNC_NTPSEC_ROOT to an unpacked ntpsec + python3-ntp)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            RequiredTool.missing("ntpd needs root to bind port 123: run these tests as root");
        }
        conf = Files.createDirectories(dir.resolve("etc/ntpsec")).resolve("ntp.conf");
        pid = dir.resolve("ntpd.pid");
        userLines = String.join("\n", "# the user's own lines, kept byte for byte", "interface ignore all",
                "interface listen 127.0.0.1", "refclock local stratum 9 minpoll 0 maxpoll 0 prefer", "disable kernel",
                "restrict default ignore", "restrict 127.0.0.1", "driftfile " + dir.resolve("drift"), "");
        Files.writeString(conf, userLines);
        restart = dir.resolve("restart-ntpd");
        Files.writeString(restart, String.join("\n", "#!/bin/sh",
                "# What 'systemctl restart ntpsec' does, for a test ntpd that cannot set the clock.",
                "if [ -s '" + pid + "' ]; then kill \"$(cat '" + pid + "')\" 2>/dev/null; fi",
                "for i in $(seq 1 50); do [ -s '" + pid + "' ] && kill -0 \"$(cat '" + pid + "')\" 2>/dev/null || break; sleep 0.1; done",
                "rm -f '" + pid + "'",
                "setsid setpriv --bounding-set=-sys_time '" + ntpd + "' -n -c '" + conf + "' -p '" + pid + "' -l '"
                        + dir.resolve("ntpd.log") + "' </dev/null >/dev/null 2>&1 &",
                "for i in $(seq 1 50); do [ -s '" + pid + "' ] && exit 0; sleep 0.1; done",
                "echo 'ntpd did not start' >&2; exit 1", ""));
        Files.setPosixFilePermissions(restart, PosixFilePermissions.fromString("rwx------"));
        run(List.of(restart.toString()));
    }

    @AfterEach
    void stop() throws Exception {
        if (pid != null && Files.exists(pid)) {
            run(List.of("sh", "-c", "kill \"$(cat '" + pid + "')\" 2>/dev/null; sleep 0.3"));
        }
    }

    private static void run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).inheritIO().start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv)).isZero();
    }

    private NtpsecCorrector corrector(List<String> restartCommand) {
        List<String> peers = List.of("env", "PYTHONPATH=" + pythonPath, "python3", ntpq.toString(), "-pn", "127.0.0.1");
        return new NtpsecCorrector(conf, dir.resolve("backups"), restartCommand, peers, new ProcessCommandRunner(),
                TimeSource.system(), Sleeper.on(TimeSource.system()), Duration.ofSeconds(20), Duration.ofSeconds(20), 3);
    }

    private static Decision selecting(String... servers) {
        return new Decision(List.of(), new Selection(List.of(servers), null, 0), Decision.Outcome.FIRST_SELECTION, "test");
    }

    @Test
    void writesTheBlockRestartsNtpdAndNtpdListsTheServers() throws Exception {
        NtpsecCorrector ntpsec = corrector(List.of(restart.toString()));
        Plan plan = ntpsec.plan(selecting("127.0.0.1:123", "[::1]:123", "127.0.0.4:4123"), SLEW);
        assertThat(plan.steps()).hasSize(3);
        assertThat(plan.service()).isEqualTo(ntpsec.service());
        String written = ((Plan.WriteFile) plan.steps().get(0)).content();
        assertThat(written).startsWith(userLines).endsWith(ManagedBlock.BEGIN + "\nserver 127.0.0.1 iburst\n"
                + "server ::1 iburst\n# 127.0.0.4:4123 left out: ntpd talks to port 123 only\n" + ManagedBlock.END + "\n");
        assertThat(((Plan.RunCommand) plan.steps().get(1)).argv()).containsExactly(restart.toString());

        assertThat(ntpsec.apply(plan).verified()).isTrue();
        assertThat(Files.readString(conf)).startsWith(userLines);
        assertThat(ntpsec.plan(selecting("127.0.0.1:123", "[::1]:123", "127.0.0.4:4123"), SLEW).steps())
                .containsExactly(new Plan.SlewClock(500_000));
        // One change journaled: what it replaced, byte for byte, and what it wrote.
        assertThat(new Backups(conf, dir.resolve("backups"), TimeSource.system(), 1).journal()).singleElement()
                .satisfies(change -> {
                    assertThat(change.previous()).hasContent(userLines);
                    assertThat(change.written()).hasContent(written);
                    assertThat(change.service()).isEqualTo("ntpsec");
                });
    }

    @Test
    void onlyTheBlocksServersAreAwaited() throws Exception {
        // The user's own servers may never be listed as written (a name is listed by its address once
        // resolved; here ntpd refuses the address): what TimeSync waits for is its block.
        String mine = userLines + "server 127.0.0.2 iburst\n";
        Files.writeString(conf, mine);
        NtpsecCorrector ntpsec = corrector(List.of(restart.toString()));
        assertThat(ntpsec.apply(ntpsec.plan(selecting("[::1]:123"), SLEW)).verified()).isTrue();
        assertThat(Files.readString(conf)).startsWith(mine);
    }

    @Test
    void ntpdsOwnViewThroughTheProbeContract() throws Exception {
        List<String> rv = List.of("env", "PYTHONPATH=" + pythonPath, "python3", ntpq.toString(), "-c", "rv", "127.0.0.1");
        NtpqProbe probe = new NtpqProbe(rv, new ProcessCommandRunner(), TimeSource.system(), Duration.ofSeconds(20));
        // Right after its start ntpd is unsynchronised for a moment, and the probe says so; wait, bounded.
        io.timesync.time.Measurement m = probe.measure();
        for (int i = 0; i < 60 && !m.answered(); i++) {
            assertThat(m.error()).isEqualTo("ntpd is not synchronised");
            Thread.sleep(250);
            m = probe.measure();
        }
        assertThat(m.answered()).as(m.error()).isTrue();
        assertThat(m.server().host()).isEqualTo("ntpd");
        // Synchronised to its local clock at stratum 9, ntpd itself is at 10.
        assertThat(m.estimate().best().stratum()).isEqualTo(10);
        assertThat(m.address()).isEqualTo("127.127.1.0");
        assertThat(m.estimate().delayNanos()).isZero();
        io.timesync.time.Measurement silent = new NtpqProbe(List.of("false"), new ProcessCommandRunner(), TimeSource.system(),
                Duration.ofSeconds(5)).measure();
        assertThat(silent.error()).startsWith("ntpd does not answer");
    }

    @Test
    void rollbackPutsTheUsersFileBackAndRestarts() throws Exception {
        NtpsecCorrector ntpsec = corrector(List.of(restart.toString()));
        ntpsec.apply(ntpsec.plan(selecting("127.0.0.1:123"), SLEW));
        assertThat(conf).content().contains(ManagedBlock.BEGIN);
        assertThat(ntpsec.rollback().getFileName().toString()).startsWith("ntp.conf.");
        assertThat(conf).hasContent(userLines);
    }

    @Test
    void rollbackRemovesOnlyTheBlockAndKeepsALineTheUserAddedSince() throws Exception {
        NtpsecCorrector ntpsec = corrector(List.of(restart.toString()));
        ntpsec.apply(ntpsec.plan(selecting("127.0.0.1:123"), SLEW));
        String added = "# added by hand after the sync\n";
        Files.writeString(conf, Files.readString(conf) + added);
        ntpsec.rollback();
        assertThat(conf).hasContent(userLines + added);
        assertThatThrownBy(ntpsec::rollback).isInstanceOf(CorrectionException.class).hasMessageStartingWith("nothing to roll back");
    }

    @Test
    void aByteThatIsNotUtf8IsKeptThroughASyncAndARollback() throws Exception {
        byte[] before = ("# r\u00e9glage de l'\u00e9quipe (Latin-1)\n" + userLines).getBytes(StandardCharsets.ISO_8859_1);
        Files.write(conf, before);
        NtpsecCorrector ntpsec = corrector(List.of(restart.toString()));
        assertThat(ntpsec.apply(ntpsec.plan(selecting("127.0.0.1:123"), SLEW)).verified()).isTrue();
        byte[] after = Files.readAllBytes(conf);
        assertThat(Arrays.copyOf(after, before.length)).isEqualTo(before);
        assertThat(new String(after, before.length, after.length - before.length, StandardCharsets.US_ASCII))
                .isEqualTo(ManagedBlock.wrap("server 127.0.0.1 iburst\n"));
        ntpsec.rollback();
        assertThat(conf).hasBinaryContent(before);
    }

    @Test
    void aFailedRestartPutsTheOldFileBack() throws Exception {
        NtpsecCorrector broken = corrector(List.of("sh", "-c", "echo 'Job for ntpsec.service failed' >&2; exit 1"));
        Plan plan = broken.plan(selecting("127.0.0.1:123"), SLEW);
        assertThatThrownBy(() -> broken.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("Job for ntpsec.service failed");
        assertThat(conf).hasContent(userLines);
    }
}
