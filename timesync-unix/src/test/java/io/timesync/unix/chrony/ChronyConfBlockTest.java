package io.timesync.unix.chrony;

import io.timesync.agent.Sleeper;
import io.timesync.time.TimeSource;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.CorrectionPolicy.Kind;
import io.timesync.correct.Plan;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.select.Decision;
import io.timesync.memo.Selection;
import io.timesync.testing.ChronyServer;
import io.timesync.unix.host.ManagedBlock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chrony corrector for a chronyd without a sourcedir (chrony before 4): a managed block in the
 * chrony.conf a real chronyd (with {@code -x}) was started from, applied at run time with
 * {@code chronyc add server} and {@code delete}, and a real upstream server.
 */
class ChronyConfBlockTest {

    private static final Action SLEW = new Action(Kind.SLEW, 1_000_000, "test slew");
    private static Path root;
    private static ChronyServer upstream;
    private static ChronyServer client;
    private static Path conf;
    private static byte[] userConf;

    @TempDir
    Path backups;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("timesync-chrony-block");
        upstream = ChronyServer.start(root, 2);
        client = ChronyServer.start(root, ChronyServer.Spec.local(10));
        conf = client.directory().resolve("chrony.conf");
        // The user's lines: chronyd's own, plus a comment without a final newline that must survive as it is.
        Files.writeString(conf, Files.readString(conf) + "# h\u00e9las, no newline at the end\r\n\t# tab", StandardCharsets.UTF_8);
        userConf = Files.readAllBytes(conf);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ChronyServer s : new ChronyServer[] {client, upstream}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @BeforeEach
    @AfterEach
    void userVersion() throws Exception {
        Files.write(conf, userConf);
        for (ChronySource source : chronyc(client.commandSocket()).sources()) {
            chronyc(client.commandSocket()).run(chronyc(client.commandSocket()).delete(source.address()));
        }
    }

    private static Chronyc chronyc(Path socket) {
        return new Chronyc(Path.of("chronyc"), socket, new ProcessCommandRunner(), Duration.ofSeconds(10));
    }

    private ChronyCorrector corrector(Path file, Path socket, Duration verifyTimeout) {
        return ChronyCorrector.inChronyConf(file, backups, Path.of("/usr/sbin/chronyd"), chronyc(socket), TimeSource.system(),
                Sleeper.on(TimeSource.system()), verifyTimeout, 3);
    }

    private ChronyCorrector corrector() {
        return corrector(conf, client.commandSocket(), Duration.ofSeconds(10));
    }

    private static Decision selecting(String... servers) {
        return new Decision(List.of(), new Selection(List.of(servers), null, 0), Decision.Outcome.FIRST_SELECTION, "test");
    }

    private static List<String> listed() throws Exception {
        return chronyc(client.commandSocket()).sources().stream().map(ChronySource::address).toList();
    }

    private static String block(String... lines) {
        return ManagedBlock.wrap(String.join("", Stream.of(lines).map(l -> l + "\n").toList()));
    }

    @Test
    void theBlockGoesIntoChronyConfAndIntoTheRunningChronydWithoutARestart() throws Exception {
        ChronyCorrector chrony = corrector();
        Plan plan = chrony.plan(selecting(upstream.ipv4Server()), SLEW);
        String expected = new String(userConf, StandardCharsets.UTF_8) + "\n"
                + block("server 127.0.0.1 port " + upstream.port() + " iburst");
        assertThat(plan.steps()).containsExactly(new Plan.WriteFile(conf, expected),
                new Plan.RunCommand(List.of("chronyc", "-h", client.commandSocket().toString(), "-n", "add", "server", "127.0.0.1",
                        "port", String.valueOf(upstream.port()), "iburst"), Duration.ofSeconds(10)),
                new Plan.SlewClock(1_000_000));

        assertThat(chrony.apply(plan).verified()).isTrue();
        assertThat(listed()).containsExactly("127.0.0.1");
        String written = Files.readString(conf);
        assertThat(written).isEqualTo(expected);
        // The user's lines, byte for byte: all that is outside the block, the one newline the block needed aside.
        assertThat(ManagedBlock.outside(written, "chrony.conf").getBytes(StandardCharsets.UTF_8))
                .isEqualTo((new String(userConf, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(client.log()).doesNotContain("Fatal");

        // Idempotent: the same selection again writes and runs nothing.
        assertThat(chrony.plan(selecting(upstream.ipv4Server()), SLEW).steps()).containsExactly(new Plan.SlewClock(1_000_000));

        // Another selection: the server that left is deleted, the one that joined is added, in place.
        Plan next = chrony.plan(selecting("127.0.0.77:1"), SLEW);
        assertThat(next.steps()).extracting(s -> s instanceof Plan.RunCommand c ? String.join(" ", c.argv().subList(3, c.argv().size())) : "")
                .containsExactly("", "-n delete 127.0.0.1", "-n add server 127.0.0.77 port 1 iburst", "");
        assertThat(chrony.apply(next).verified()).isTrue();
        assertThat(listed()).containsExactly("127.0.0.77");
        assertThat(Files.readString(conf)).isEqualTo(new String(userConf, StandardCharsets.UTF_8) + "\n"
                + block("server 127.0.0.77 port 1 iburst"));

        // Rollback: the version before, byte for byte, and chronyd back on it.
        assertThat(chrony.rollback().getFileName().toString()).startsWith("chrony.conf.");
        assertThat(Files.readString(conf)).isEqualTo(expected);
        assertThat(listed()).containsExactly("127.0.0.1");
    }

    @Test
    void rollbackAfterTheFirstSyncLeavesOnlyTheUsersFileByteForByte() throws Exception {
        ChronyCorrector chrony = corrector();
        chrony.apply(chrony.plan(selecting(upstream.ipv4Server()), SLEW));
        assertThat(listed()).containsExactly("127.0.0.1");
        chrony.rollback();
        assertThat(conf).hasBinaryContent(userConf);
        assertThat(listed()).isEmpty();
    }

    @Test
    void rollbackPutsBackOnlyTheBlockAndTheUsersLinesAddedSinceStay() throws Exception {
        ChronyCorrector chrony = corrector();
        chrony.apply(chrony.plan(selecting(upstream.ipv4Server()), SLEW));
        String first = Files.readString(conf, StandardCharsets.UTF_8);
        chrony.apply(chrony.plan(selecting("127.0.0.77:1"), SLEW));
        // The user edits chrony.conf after the sync: a line at the end, below TimeSync's block.
        String added = "# added by hand after the sync, caf\u00e9\nmaxupdateskew 100\n";
        Files.writeString(conf, Files.readString(conf, StandardCharsets.UTF_8) + added, StandardCharsets.UTF_8);

        chrony.rollback();
        assertThat(conf).hasBinaryContent((first + added).getBytes(StandardCharsets.UTF_8));
        assertThat(listed()).containsExactly("127.0.0.1");
        // Once more: back before the first sync, the block gone and the user's lines, old and new, byte for byte.
        chrony.rollback();
        assertThat(conf).hasBinaryContent((new String(userConf, StandardCharsets.UTF_8) + "\n" + added)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(listed()).isEmpty();
        assertThatThrownBy(chrony::rollback).isInstanceOf(CorrectionException.class).hasMessageStartingWith("nothing to roll back");
    }

    @Test
    void aServerTheUsersLinesNameIsLeftToThem() throws Exception {
        Files.writeString(conf, "server 127.0.0.1 port 9 iburst\n");
        Plan plan = corrector().plan(selecting(upstream.ipv4Server(), "127.0.0.77:1"), SLEW);
        assertThat(((Plan.WriteFile) plan.steps().get(0)).content()).isEqualTo("server 127.0.0.1 port 9 iburst\n"
                + block("# 127.0.0.1 left out: chrony.conf names it already", "server 127.0.0.77 port 1 iburst"));
    }

    @Test
    void chronydRejectingTheNewChronyConfLeavesTheOldOneByteIdentical() throws Exception {
        Path broken = Files.createDirectories(root.resolve("broken")).resolve("chrony.conf");
        // The user's file already has a line chronyd's parser rejects: the candidate fails validation.
        byte[] before = (new String(userConf, StandardCharsets.UTF_8) + "\nbogusdirective 1\n").getBytes(StandardCharsets.UTF_8);
        Files.write(broken, before);
        ChronyCorrector chrony = corrector(broken, client.commandSocket(), Duration.ofSeconds(10));
        Plan plan = chrony.plan(selecting(upstream.ipv4Server()), SLEW);
        assertThatThrownBy(() -> chrony.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("chronyd rejected the new sources").hasMessageContaining("nothing was changed");
        assertThat(broken).hasBinaryContent(before);
        assertThat(listed()).isEmpty();
        try (Stream<Path> left = Files.list(broken.getParent())) {
            assertThat(left).containsExactly(broken);
        }
        try (Stream<Path> none = Files.list(backups)) {
            assertThat(none).isEmpty();
        }
    }

    @Test
    void aFailedVerificationPutsTheOldFileAndChronydsSourcesBack() throws Exception {
        ChronyCorrector chrony = corrector(conf, client.commandSocket(), Duration.ofMillis(300));
        // Written but never added: chronyd does not list the source, so verification fails.
        String written = new String(userConf, StandardCharsets.UTF_8) + "\n" + block("server 127.0.0.77 port 1 iburst");
        Plan plan = new Plan("chrony", List.of(new Plan.WriteFile(conf, written)), "test");
        assertThatThrownBy(() -> chrony.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("chronyd does not list [127.0.0.77]")
                .hasMessageContaining("the previous sources were restored")
                .satisfies(e -> assertThat(((CorrectionException) e).rolledBack()).isTrue());
        assertThat(conf).hasBinaryContent(userConf);
        assertThat(listed()).isEmpty();
    }

    @Test
    void aFailedAddPutsTheOldFileBackByteForByte() throws Exception {
        ChronyCorrector broken = corrector(conf, client.directory().resolve("wrong.sock"), Duration.ofSeconds(10));
        Plan plan = broken.plan(selecting(upstream.ipv4Server()), SLEW);
        assertThatThrownBy(() -> broken.apply(plan)).isInstanceOf(CorrectionException.class)
                .hasMessageContaining("add server 127.0.0.1 port " + upstream.port() + " iburst failed");
        assertThat(conf).hasBinaryContent(userConf);
    }

    @Test
    void withoutAChronyConfThereIsNothingToPlan() {
        assertThatThrownBy(() -> corrector(root.resolve("missing/chrony.conf"), client.commandSocket(), Duration.ofSeconds(1))
                .plan(selecting(upstream.ipv4Server()), SLEW)).hasMessageContaining("does not exist: is chrony installed?");
    }
}
