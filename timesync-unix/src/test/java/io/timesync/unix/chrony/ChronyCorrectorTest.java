package io.timesync.unix.chrony;

import io.timesync.agent.Sleeper;
import io.timesync.time.TimeSource;
import io.timesync.correct.Backups;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.CorrectionPolicy.Kind;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.select.Decision;
import io.timesync.memo.Selection;
import io.timesync.testing.ChronyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chrony corrector against a real chronyd (with {@code -x}: it never touches the system clock)
 * whose {@code sourcedir} the corrector owns, and two real upstream servers.
 */
class ChronyCorrectorTest {

    private static final Action SLEW = new Action(Kind.SLEW, 1_000_000, "test slew");
    private static Path root;
    private static ChronyServer upstreamA;
    private static ChronyServer upstreamB;
    private static ChronyServer client;
    private static Path sourcesDir;

    @TempDir
    Path backups;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("timesync-chrony-corrector");
        upstreamA = ChronyServer.start(root, 2);
        upstreamB = ChronyServer.start(root, 2);
        sourcesDir = Files.createDirectories(root.resolve("sources.d"));
        client = ChronyServer.start(root, new ChronyServer.Spec(10, 10, List.of("sourcedir " + sourcesDir), null,
                Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stop() throws Exception {
        for (ChronyServer s : new ChronyServer[] {client, upstreamA, upstreamB}) {
            if (s != null) {
                s.close();
            }
        }
    }

    // Each test's sources leave with it: chronyd keeps one source per address, and these all use 127.0.0.1.
    @AfterEach
    void noSources() throws Exception {
        try (Stream<Path> files = Files.list(sourcesDir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Chronyc chronyc = chronyc(client.commandSocket());
        chronyc.run(chronyc.reloadSources());
        for (ChronySource source : chronyc.sources()) {
            chronyc.change(chronyc.delete(source.address()));
        }
    }

    private static Chronyc chronyc(Path socket) {
        return new Chronyc(Path.of("chronyc"), socket, new ProcessCommandRunner(), Duration.ofSeconds(10));
    }

    private ChronyCorrector corrector(Path sourcesFile, Path chronyd, Path socket) {
        return new ChronyCorrector(sourcesFile, backups, chronyd, chronyc(socket), TimeSource.system(),
                Sleeper.on(TimeSource.system()), Duration.ofSeconds(10), 2);
    }

    private ChronyCorrector corrector(Path sourcesFile) {
        return corrector(sourcesFile, Path.of("/usr/sbin/chronyd"), client.commandSocket());
    }

    private static Decision selecting(String... servers) {
        return new Decision(List.of(), new Selection(List.of(servers), null, 0), Decision.Outcome.FIRST_SELECTION, "test");
    }

    @Test
    void writesTheSourcesReloadsAndChronydListsThem() throws Exception {
        Path file = sourcesDir.resolve("timesync.sources");
        Path conf = client.directory().resolve("chrony.conf");
        byte[] confBefore = Files.readAllBytes(conf);
        ChronyCorrector chrony = corrector(file);

        Plan plan = chrony.plan(selecting(upstreamA.ipv4Server()), SLEW);
        assertThat(plan.steps()).hasSize(3);
        assertThat(plan.steps().get(0)).isEqualTo(new Plan.WriteFile(file,
                "# Managed by TimeSync: replaced on every sync; your own sources belong in another file.\n"
                        + "server 127.0.0.1 port " + upstreamA.port() + " iburst\n"));
        assertThat(((Plan.RunCommand) plan.steps().get(1)).argv())
                .containsExactly("chronyc", "-h", client.commandSocket().toString(), "-n", "reload", "sources");
        assertThat(plan.steps().get(2)).isEqualTo(new Plan.SlewClock(1_000_000));

        Corrector.Applied applied = chrony.apply(plan);
        assertThat(applied.verified()).isTrue();
        assertThat(chronyc(client.commandSocket()).sources()).extracting(ChronySource::address).contains("127.0.0.1");
        assertThat(conf).hasBinaryContent(confBefore);

        // The same selection again changes nothing.
        assertThat(chrony.plan(selecting(upstreamA.ipv4Server()), SLEW).steps()).containsExactly(new Plan.SlewClock(1_000_000));
    }

    @Test
    void aFailedReloadRestoresTheOldFileByteForByte() throws Exception {
        Path file = sourcesDir.resolve("rollback.sources");
        String old = "# the user's earlier version\nserver 127.0.0.1 port " + upstreamB.port() + " iburst\n";
        Files.writeString(file, old);
        ChronyCorrector broken = corrector(file, Path.of("/usr/sbin/chronyd"), client.directory().resolve("wrong.sock"));
        Plan plan = broken.plan(selecting(upstreamA.ipv4Server()), SLEW);
        assertThatThrownBy(() -> broken.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("reload sources failed")
                .satisfies(e -> assertThat(((CorrectionException) e).rolledBack()).isFalse());
        // The reload of the restored file went to the same wrong socket, so it reports the rollback as incomplete,
        // but the file itself is back, byte for byte.
        assertThat(file).hasContent(old);
        Files.delete(file);
    }

    @Test
    void aFailedVerificationRestoresTheFile() throws Exception {
        Path file = sourcesDir.resolve("verify.sources");
        ChronyCorrector chrony = new ChronyCorrector(file, backups, Path.of("/usr/sbin/chronyd"),
                chronyc(client.commandSocket()), TimeSource.system(), Sleeper.on(TimeSource.system()), Duration.ofMillis(300), 2);
        // Written but never reloaded: chronyd does not list the source, so verification fails and the file goes.
        Plan plan = new Plan("chrony", List.of(new Plan.WriteFile(file, "server 127.0.0.77 port 1 iburst\n")), "test");
        assertThatThrownBy(() -> chrony.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("chronyd does not list [127.0.0.77]")
                .hasMessageContaining("the previous sources were restored")
                .satisfies(e -> assertThat(((CorrectionException) e).rolledBack()).isTrue());
        assertThat(file).doesNotExist();
    }

    @Test
    void rollbackRestoresTheLastBackupAndReloads() throws Exception {
        Path file = sourcesDir.resolve("rollback-on-demand.sources");
        ChronyCorrector chrony = corrector(file);
        Plan plan = new Plan("chrony", List.of(new Plan.WriteFile(file, "server 127.0.0.77 port 1 iburst\n"),
                new Plan.RunCommand(chronyc(client.commandSocket()).reloadSources(), Duration.ofSeconds(10))), "test");
        // chronyd lists a source that does not answer too: verification proves only that chronyd took the file.
        assertThat(chrony.apply(plan).verified()).isTrue();
        assertThat(chronyc(client.commandSocket()).sources()).extracting(ChronySource::address).contains("127.0.0.77");
        assertThat(chrony.rollback().getFileName().toString()).startsWith("rollback-on-demand.sources.");
        assertThat(file).doesNotExist();
        assertThat(chronyc(client.commandSocket()).sources()).extracting(ChronySource::address).doesNotContain("127.0.0.77");
    }

    @Test
    void chronydRejectingTheFileChangesNothing() throws Exception {
        Path file = sourcesDir.resolve("invalid.sources");
        ChronyCorrector chrony = corrector(file);
        Plan bad = new Plan("chrony", List.of(new Plan.WriteFile(file, "server 127.0.0.1 port 123 bogusoption\n")), "test");
        assertThatThrownBy(() -> chrony.apply(bad)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("chronyd rejected the new sources").hasMessageContaining("Could not parse server directive")
                .hasMessageContaining("nothing was changed");
        assertThat(file).doesNotExist();
        try (Stream<Path> left = Files.list(sourcesDir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".timesync-check"));
        }
        try (Stream<Path> none = Files.list(backups)) {
            assertThat(none).isEmpty();
        }
    }

    @Test
    void chronydRejectingTheNewFileLeavesTheExistingOneByteIdentical() throws Exception {
        Path file = sourcesDir.resolve("existing.sources");
        byte[] before = ("# the version before, h\u00e9las\r\nserver 127.0.0.1 port " + upstreamB.port() + " iburst\n\t# no newline")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(file, before);
        ChronyCorrector chrony = corrector(file);
        // A plan whose file chronyd's parser rejects (no selection produces one: the lines are built from validated names).
        Plan bad = new Plan("chrony", List.of(new Plan.WriteFile(file, "server 127.0.0.1 port 123 bogusoption\n"),
                new Plan.RunCommand(chronyc(client.commandSocket()).reloadSources(), Duration.ofSeconds(10))), "test");
        assertThatThrownBy(() -> chrony.apply(bad)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("chronyd rejected the new sources").hasMessageContaining("nothing was changed");
        assertThat(file).hasBinaryContent(before);
        // And when chronyd took it but did not list it in time: restored, byte for byte.
        ChronyCorrector impatient = new ChronyCorrector(file, backups, Path.of("/usr/sbin/chronyd"),
                chronyc(client.commandSocket()), TimeSource.system(), Sleeper.on(TimeSource.system()), Duration.ofMillis(300), 2);
        Plan unlisted = new Plan("chrony", List.of(new Plan.WriteFile(file, "server 127.0.0.78 port 1 iburst\n")), "test");
        assertThatThrownBy(() -> impatient.apply(unlisted)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("chronyd does not list [127.0.0.78]");
        assertThat(file).hasBinaryContent(before);
        Files.delete(file);
    }

    @Test
    void backupsAreKeptUpToTheLimitAndRollbackRestoresTheLast() throws Exception {
        Path file = sourcesDir.resolve("backups.sources");
        ChronyCorrector chrony = corrector(file);
        chrony.apply(chrony.plan(selecting(upstreamA.ipv4Server()), SLEW));
        String first = Files.readString(file);
        chrony.apply(chrony.plan(selecting(upstreamB.ipv4Server()), SLEW));
        chrony.apply(chrony.plan(selecting(upstreamA.ipv4Server()), SLEW));
        assertThat(new Backups(file, backups, TimeSource.system(), 2).journal()).hasSize(2);
        chrony.rollback();
        assertThat(Files.readString(file)).isNotEqualTo(first).contains("port " + upstreamB.port());
        Files.delete(file);
        chronyc(client.commandSocket()).run(chronyc(client.commandSocket()).reloadSources());
    }

    // The port chronyd sends to for a source it has ({@code chronyc -c ntpdata ADDRESS}).
    private static int remotePort(String address) throws Exception {
        Chronyc chronyc = chronyc(client.commandSocket());
        return Integer.parseInt(chronyc.run(chronyc.argv("-c", "ntpdata", address)).stdout().split(",")[2]);
    }

    // Upstream B at another address than A (::1, where the host has it), so that chronyd's list tells them apart.
    private static String otherAddressB() {
        return upstreamB.servesIpv6() ? "[::1]:" + upstreamB.port() : upstreamB.ipv4Server();
    }

    @Test
    void tenFailedSyncsKeepTheConfigurationFromBeforeTheLastAppliedChange() throws Exception {
        Path file = sourcesDir.resolve("failing.sources");
        ChronyCorrector chrony = corrector(file);
        chrony.apply(chrony.plan(selecting(upstreamA.ipv4Server()), SLEW));
        String a = Files.readString(file);
        chrony.apply(chrony.plan(selecting(otherAddressB()), SLEW));
        String b = Files.readString(file);
        // chronyd cannot be reached: each sync fails and puts B back.
        ChronyCorrector unreachable = corrector(file, Path.of("/usr/sbin/chronyd"), client.directory().resolve("wrong.sock"));
        for (int i = 0; i < 10; i++) {
            Plan toA = unreachable.plan(selecting(upstreamA.ipv4Server()), SLEW);
            assertThatThrownBy(() -> unreachable.apply(toA)).isInstanceOf(CorrectionException.class)
                    .hasMessageContaining("reload sources failed")
                    .hasMessageContaining("was restored, but reloading chronyd failed too")
                    .hasMessageNotContaining("RESTORING");
            assertThat(file).hasContent(b);
        }
        chrony.rollback();
        assertThat(file).hasContent(a);
        assertThat(chronyc(client.commandSocket()).sources()).extracting(ChronySource::address).contains("127.0.0.1")
                .doesNotContain("::1");
        assertThat(remotePort("127.0.0.1")).isEqualTo(upstreamA.port());
        Files.delete(file);
        chronyc(client.commandSocket()).run(chronyc(client.commandSocket()).reloadSources());
    }

    @Test
    void aChangeThatCannotBeJournaledIsUndone() throws Exception {
        Path file = sourcesDir.resolve("unjournaled.sources");
        Files.createDirectories(backups.resolve(Backups.JOURNAL));
        ChronyCorrector chrony = corrector(file);
        Plan plan = chrony.plan(selecting(upstreamA.ipv4Server()), SLEW);
        assertThatThrownBy(() -> chrony.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageStartingWith("cannot record the change in " + backups.resolve(Backups.JOURNAL))
                .hasMessageContaining("the previous sources were restored and reloaded");
        assertThat(file).doesNotExist();
    }

    @Test
    void aChangeOfPortForAnAddressChronydAlreadyListsWorks() throws Exception {
        Chronyc chronyc = chronyc(client.commandSocket());
        // chronyd has the address on another port (added at run time): a reload alone would keep that port.
        chronyc.change(chronyc.delete("127.0.0.1"));
        chronyc.run(chronyc.add(List.of("server", "127.0.0.1", "port", String.valueOf(upstreamB.port()), "iburst")));
        assertThat(remotePort("127.0.0.1")).isEqualTo(upstreamB.port());
        Path file = sourcesDir.resolve("port.sources");
        ChronyCorrector chrony = corrector(file);
        Plan plan = chrony.plan(selecting(upstreamA.ipv4Server()), SLEW);
        assertThat(plan.steps()).extracting(s -> s instanceof Plan.RunCommand c ? String.join(" ", c.argv().subList(3, c.argv().size())) : "")
                .containsExactly("", "-n delete 127.0.0.1", "-n reload sources", "");
        assertThat(chrony.apply(plan).verified()).isTrue();
        assertThat(remotePort("127.0.0.1")).isEqualTo(upstreamA.port());
        Files.delete(file);
        chronyc.change(chronyc.delete("127.0.0.1"));
        chronyc.run(chronyc.reloadSources());
    }

    @Test
    void aRollbackWhoseReloadFailsSaysSoAndRunsAgainOnceChronydAnswers() throws Exception {
        Path file = sourcesDir.resolve("reload.sources");
        ChronyCorrector chrony = corrector(file);
        chrony.apply(chrony.plan(selecting(upstreamA.ipv4Server()), SLEW));
        String a = Files.readString(file);
        chrony.apply(chrony.plan(selecting(otherAddressB()), SLEW));
        String b = Files.readString(file);
        ChronyCorrector unreachable = corrector(file, Path.of("/usr/sbin/chronyd"), client.directory().resolve("wrong.sock"));
        assertThatThrownBy(unreachable::rollback).isInstanceOf(CorrectionException.class)
                .hasMessageStartingWith("restored " + file + " as it was before the change of ")
                .hasMessageContaining("but reloading chronyd failed: ")
                .hasMessageContaining("reload sources failed")
                .hasMessageNotContaining("RESTORING");
        assertThat(file).hasContent(a);
        // The version the rollback replaced is kept, so the rollback can be undone by hand.
        try (Stream<Path> saved = Files.list(backups)) {
            assertThat(saved.filter(p -> p.getFileName().toString().endsWith(".before-rollback")))
                    .singleElement().satisfies(p -> assertThat(p).hasContent(b));
        }
        // The change is still the last one: once chronyd answers, the same rollback goes through.
        chrony.rollback();
        assertThat(file).hasContent(a);
        assertThat(remotePort("127.0.0.1")).isEqualTo(upstreamA.port());
        Files.delete(file);
        chronyc(client.commandSocket()).run(chronyc(client.commandSocket()).reloadSources());
    }

    @Test
    void aStepRunsMakestepAndReportsChronydsAnswer() throws Exception {
        ChronyCorrector chrony = corrector(sourcesDir.resolve("step.sources"));
        Plan plan = chrony.plan(selecting(), new Action(Kind.STEP, 250_000_000, "test step"));
        assertThat(plan.steps()).containsExactly(new Plan.StepClock(250_000_000,
                List.of("chronyc", "-h", client.commandSocket().toString(), "-n", "makestep")));
        // A chronyd started with -x may not touch the clock, so it refuses the step: its answer comes through.
        assertThatThrownBy(() -> chrony.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("-n makestep failed (exit 1): 500 Failure");
        assertThat(chrony.plan(selecting(), new Action(Kind.REFUSE, 0, "no")).steps()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1; rm -rf /", "-oProxyCommand=x", "a b", "x\nserver evil.example", "$(reboot)",
        "host:99999", "`id`"})
    void hostileServerNamesNeverReachTheFile(String key) {
        assertThatIllegalArgumentException().isThrownBy(() -> ChronyCorrector.sourcesContent(List.of(key)));
    }

    @Test
    void oneSourcePerAddressAsChronydKeepsThem() {
        assertThat(ChronyCorrector.sourcesContent(List.of("127.0.0.1:5", "127.0.0.1:6", "127.0.0.2:5")))
                .endsWith("server 127.0.0.1 port 5 iburst\n# 127.0.0.1:6 left out: chronyd keeps one source per address\n"
                        + "server 127.0.0.2 port 5 iburst\n");
    }

    @Test
    void portsOtherThan123AreWrittenAndIpv6StaysUnbracketed() {
        assertThat(ChronyCorrector.sourcesContent(List.of("time.example:123", "[::1]:4123")))
                .endsWith("server time.example iburst\nserver ::1 port 4123 iburst\n");
    }
}
