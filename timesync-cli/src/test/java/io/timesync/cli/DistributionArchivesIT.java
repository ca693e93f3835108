package io.timesync.cli;

import io.timesync.testing.ChronyNtsExtension;
import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zip and the tar.gz as built by {@code package}: unpacked with the real unzip and tar into a
 * temporary directory, they hold the launchers, the jar, the units, README and docs, man pages, completion and the
 * Prometheus rules,
 * and the unpacked launcher runs. An integration test (the {@code archives} execution of surefire in
 * the {@code integration-test} phase) because the archives exist only after {@code package}.
 */
class DistributionArchivesIT {

    private static final String VERSION = System.getProperty("timesync.version");
    private static final Path TARGET = Path.of(System.getProperty("timesync.target", "target"));
    private static final String TOP = "timesync-" + VERSION;

    /** The man pages the build made: one per command (see {@link ManPages}). */
    private static final List<String> PAGES = manPages();

    /** The Markdown pages under docs/, which the README links to. */
    private static final List<String> DOCS = docs();

    /** Every regular file each archive holds, under its top directory. */
    private static final List<String> FILES = Stream.of(Stream.of("README.md", "bin/timesync", "bin/timesync.cmd",
            "completion/_timesync", "completion/timesync", "lib/timesync.jar", "prometheus/timesync.rules.yml",
            "systemd/timesync-agent.service", "systemd/timesync.service", "systemd/timesync.timer"),
            PAGES.stream().map(p -> "man/man1/" + p), DOCS.stream()).flatMap(s -> s).toList();

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ChronyNtsExtension NTS = new ChronyNtsExtension(8);

    private static List<String> manPages() {
        try (Stream<Path> man1 = Files.list(TARGET.resolve("dist-files/man/man1"))) {
            return man1.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".1")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("run 'package' first: " + e, e);
        }
    }

    private static List<String> docs() {
        Path root = Path.of("..");
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            return docs.filter(p -> p.toString().endsWith(".md")).map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path zipHome;
    private static Path tarHome;

    @BeforeAll
    static void unpack() throws Exception {
        assertThat(VERSION).as("the timesync.version system property (set by the pom)").isNotBlank();
        Path zip = TARGET.resolve(TOP + ".zip");
        Path tarball = TARGET.resolve(TOP + ".tar.gz");
        assertThat(zip).as("run 'package' first").isRegularFile();
        assertThat(tarball).as("run 'package' first").isRegularFile();
        Path unzip = RequiredTool.find("TIMESYNC_UNZIP", "unzip", "apt-get install unzip");
        Path tar = RequiredTool.find("TIMESYNC_TAR", "tar", "apt-get install tar");
        Path zipDir = Files.createDirectories(dir.resolve("zip"));
        Path tarDir = Files.createDirectories(dir.resolve("tar"));
        assertThat(run(dir, unzip.toString(), "-q", zip.toAbsolutePath().toString(), "-d", zipDir.toString())).isEmpty();
        assertThat(run(dir, tar.toString(), "xzf", tarball.toAbsolutePath().toString(), "-C", tarDir.toString())).isEmpty();
        zipHome = zipDir.resolve(TOP);
        tarHome = tarDir.resolve(TOP);
    }

    /** Runs {@code command} in {@code cwd} with JAVA_HOME set to this JVM's; stdout, after asserting exit 0. */
    private static String run(Path cwd, String... command) throws IOException, InterruptedException {
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectError(err.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("TIMESYNC_JAVA_OPTS");
        builder.environment().put("TIMESYNC_CACHE_DIR", dir.resolve("cds-cache").toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command) + " finishes").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + Files.readString(err)).isZero();
        return out;
    }

    private static List<String> files(Path home) throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(home)) {
            walk.filter(Files::isRegularFile).forEach(f -> files.add(home.relativize(f).toString()));
        }
        return files;
    }

    @Test
    void bothArchivesHoldTheSameFilesUnderOneTopDirectory() throws Exception {
        assertThat(PAGES).contains("timesync.1", "timesync-probe.1", "timesync-doctor.1", "timesync-service-install.1");
        assertThat(files(zipHome)).containsExactlyInAnyOrderElementsOf(FILES);
        assertThat(files(tarHome)).containsExactlyInAnyOrderElementsOf(FILES);
        try (Stream<Path> top = Files.list(zipHome.getParent())) {
            assertThat(top).containsExactly(zipHome);
        }
        for (String f : FILES) {
            assertThat(zipHome.resolve(f)).as(f).hasSameBinaryContentAs(tarHome.resolve(f));
        }
    }

    @Test
    void theContentIsWhatTheBuildMade() throws Exception {
        for (Path home : List.of(zipHome, tarHome)) {
            assertThat(home.resolve("lib/timesync.jar")).hasSameBinaryContentAs(TARGET.resolve("timesync.jar"));
            assertThat(home.resolve("README.md")).hasSameTextualContentAs(Path.of("..", "README.md"));
            assertThat(DOCS).contains("docs/commands/probe.md", "docs/monitoring.md");
            for (String page : DOCS) {
                assertThat(home.resolve(page)).as(page).hasSameTextualContentAs(Path.of("..", page));
            }
            assertThat(home.resolve("bin/timesync")).hasSameTextualContentAs(Path.of("src/main/dist/bin/timesync"));
            assertThat(home.resolve("bin/timesync.cmd")).hasSameBinaryContentAs(Path.of("src/main/dist/bin/timesync.cmd"));
            assertThat(Files.readString(home.resolve("man/man1/timesync.1"))).contains("\n.TH \"TIMESYNC\" \"1\" ")
                    .contains("\\fBtimesync\\-doctor\\fP(1)").contains("\\fBtimesync\\-setup\\fP(1)");
            for (String page : PAGES) {
                assertThat(home.resolve("man/man1/" + page)).as(page)
                        .hasSameBinaryContentAs(TARGET.resolve("dist-files/man/man1/" + page));
            }
            assertThat(Files.readString(home.resolve("completion/timesync")))
                    .contains("complete -F _complete_timesync -o default timesync");
            assertThat(home.resolve("completion/_timesync")).hasSameTextualContentAs(Path.of("src/deb/zsh/_timesync"));
            assertThat(Files.readString(home.resolve("systemd/timesync.timer"))).contains("[Timer]");
            assertThat(home.resolve("prometheus/timesync.rules.yml")).hasSameTextualContentAs(PrometheusRulesTest.RULES);
            assertThat(Files.readString(home.resolve("systemd/timesync-agent.service"))).contains("ExecStart=");
        }
    }

    @Test
    void theLaunchersAreExecutableAndTheTarGzOneRuns() throws Exception {
        for (Path home : List.of(zipHome, tarHome)) {
            assertThat(Files.isExecutable(home.resolve("bin/timesync"))).as(home + "/bin/timesync").isTrue();
            assertThat(Files.isExecutable(home.resolve("lib/timesync.jar"))).as("the jar is data").isFalse();
        }
        assertThat(run(dir, tarHome.resolve("bin/timesync").toString(), "--version"))
                .startsWith("timesync " + VERSION);
        assertThat(run(dir, zipHome.resolve("bin/timesync").toString(), "--version"))
                .startsWith("timesync " + VERSION);
    }

    /** The shaded jar keeps of Bouncy Castle and siv-mode only what NTS reaches: a whole NTS exchange proves it is enough. */
    @Test
    void thePackagedJarProbesOverNts() throws Exception {
        String out = run(dir, tarHome.resolve("bin/timesync").toString(), "probe", "--samples", "1", "--nts", NTS.keServer(),
                "--nts-trust", NTS.pki().caCertificate().toString());
        assertThat(out.split("\n")[1]).startsWith("localhost").contains("NTS-authenticated");
    }
}
