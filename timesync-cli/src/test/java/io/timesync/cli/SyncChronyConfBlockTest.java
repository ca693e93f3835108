package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.testing.ChronyServer;
import io.timesync.unix.host.ManagedBlock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code timesync sync} for a chrony without a sourcedir (chrony before 4): the servers go into a
 * managed block of {@code ROOT/etc/chrony/chrony.conf} and into a real chronyd (with {@code -x})
 * at run time, through the command socket that file names.
 */
class SyncChronyConfBlockTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static ChronyServer upstream;
    private static ChronyServer client;
    private static byte[] userConf;

    @TempDir
    Path state;

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createTempDirectory("timesync-sync-block");
        root = Files.createDirectories(work.resolve("root"));
        Files.createDirectories(root.resolve("etc/chrony"));
        upstream = ChronyServer.start(work, 2);
        client = ChronyServer.start(Files.createDirectories(root.resolve("run")), ChronyServer.Spec.local(10));
        userConf = String.join("\n", "# chrony 3's chrony.conf: no sourcedir", "pool 2.debian.pool.ntp.org iburst",
                "bindcmdaddress /" + root.relativize(client.commandSocket()), "makestep 1 3", "").getBytes(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ChronyServer s : new ChronyServer[] {client, upstream}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private CliRun sync(String... args) {
        List<String> argv = new ArrayList<>(List.of("sync", "--json", "--root", root.toString(), "--state-dir",
                state.toString(), "--log-dir", state.resolve("logs").toString(), "--samples", "2", "--spacing", "20ms",
                "--timeout", "300ms", "--server", upstream.ipv4Server()));
        argv.addAll(List.of(args));
        return CliRun.of(argv.toArray(String[]::new));
    }

    private static Path conf() {
        return root.resolve("etc/chrony/chrony.conf");
    }

    private static String sources() throws Exception {
        Process chronyc = new ProcessBuilder("chronyc", "-h", client.commandSocket().toString(), "-n", "-c", "sources").start();
        String out = new String(chronyc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(chronyc.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void helpSaysChronyWorksWithoutASourcedir() {
        String help = CliRun.of("sync", "--help").out().replaceAll("\\s+", " ");
        assertThat(help).contains("chrony (a sources file of its own where chrony.conf names a sourcedir, else a managed"
                + " block in chrony.conf)").doesNotContain("with a sourcedir)");
    }

    @Test
    void dryRunSyncIdempotenceAndRollback() throws Exception {
        Files.write(conf(), userConf);
        String block = ManagedBlock.wrap("server 127.0.0.1 port " + upstream.port() + " iburst\n");

        CliRun dry = sync("--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isEqualTo(ExitCode.OK);
        JsonNode plan = JSON.readTree(dry.out()).get("plan");
        assertThat(plan.get(0).get("kind").asText()).isEqualTo("write-file");
        assertThat(plan.get(0).get("path").asText()).isEqualTo(conf().toString());
        assertThat(plan.get(0).get("content").asText()).isEqualTo(new String(userConf, StandardCharsets.UTF_8) + block);
        List<String> argv = new ArrayList<>();
        plan.get(1).get("argv").forEach(a -> argv.add(a.asText()));
        assertThat(argv).containsExactly("chronyc", "-h", client.commandSocket().toString(), "-n", "add", "server",
                "127.0.0.1", "port", String.valueOf(upstream.port()), "iburst");
        assertThat(conf()).hasBinaryContent(userConf);
        assertThat(sources()).doesNotContain(",127.0.0.1,");

        CliRun run = sync();
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("verified").asBoolean()).isTrue();
        assertThat(conf()).hasContent(new String(userConf, StandardCharsets.UTF_8) + block);
        assertThat(sources()).contains(",127.0.0.1,");

        // A second run: the block is already right, so nothing is written or run.
        CliRun again = sync();
        assertThat(again.exitCode()).as(again.err()).isEqualTo(ExitCode.OK);
        JSON.readTree(again.out()).get("plan").forEach(step -> assertThat(step.get("kind").asText()).isIn("slew", "step"));

        CliRun rollback = CliRun.of("rollback", "--root", root.toString());
        assertThat(rollback.exitCode()).as(rollback.err()).isEqualTo(ExitCode.OK);
        assertThat(rollback.out()).startsWith("Restored " + root.resolve("var/lib/timesync/backups/chrony.conf."));
        assertThat(conf()).hasBinaryContent(userConf);
        assertThat(sources()).doesNotContain(",127.0.0.1,");
    }

    @Test
    void aByteThatIsNotUtf8SurvivesASyncByteForByteAndChronydStillReadsTheFile() throws Exception {
        // A Latin-1 comment, which chronyd accepts: the user's bytes, not text TimeSync may re-encode.
        byte[] latin1 = ("# horloge r\u00e9gl\u00e9e par l'\u00e9quipe\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] before = new byte[latin1.length + userConf.length];
        System.arraycopy(latin1, 0, before, 0, latin1.length);
        System.arraycopy(userConf, 0, before, latin1.length, userConf.length);
        Files.write(conf(), before);
        try {
            CliRun run = sync();
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
            assertThat(JSON.readTree(run.out()).get("verified").asBoolean()).isTrue();
            byte[] block = ManagedBlock.wrap("server 127.0.0.1 port " + upstream.port() + " iburst\n").getBytes(StandardCharsets.US_ASCII);
            byte[] after = Files.readAllBytes(conf());
            assertThat(java.util.Arrays.copyOf(after, before.length)).isEqualTo(before);
            assertThat(java.util.Arrays.copyOfRange(after, before.length, after.length)).isEqualTo(block);
            Process check = new ProcessBuilder("/usr/sbin/chronyd", "-p", "-f", conf().toString()).redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(output).isZero();
        } finally {
            // Leaves chronyd and the backups as the other test expects them.
            new ProcessBuilder("chronyc", "-h", client.commandSocket().toString(), "delete", "127.0.0.1").start()
                    .waitFor(10, TimeUnit.SECONDS);
            deleteTree(root.resolve("var/lib/timesync"));
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
