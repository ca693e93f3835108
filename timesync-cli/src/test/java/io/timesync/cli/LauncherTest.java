package io.timesync.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The POSIX launcher {@code bin/timesync}, run by the system's /bin/sh, in both layouts it serves
 * (the zip's bin/ + lib/ and the .deb's /usr/bin + /usr/share/timesync/lib), in front of a jar
 * whose main prints what it was given.
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("src/main/dist/bin/timesync");
    private static final String JAVA_HOME = System.getProperty("java.home");

    @TempDir
    Path dir;

    private Path jar;

    @BeforeEach
    void echoJar() throws Exception {
        jar = dir.resolve("echo.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, EchoMain.class.getName());
        Path classes = Path.of(EchoMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
    }

    /** Installs the launcher as {@code bin} and the jar as {@code lib}, both under {@code home}. */
    private Path install(Path home, String bin, String lib) throws Exception {
        Path launcher = home.resolve(bin).resolve("timesync");
        Files.createDirectories(launcher.getParent());
        Files.copy(LAUNCHER, launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path target = home.resolve(lib).resolve("timesync.jar");
        Files.createDirectories(target.getParent());
        Files.copy(jar, target);
        return launcher;
    }

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("err").toFile());
        builder.environment().remove("JAVA_HOME");
        builder.environment().remove("TIMESYNC_JAVA_OPTS");
        builder.environment().remove("TIMESYNC_CDS");
        builder.environment().put("TIMESYNC_CACHE_DIR", dir.resolve("cache").toString());
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(dir.resolve("err")));
    }

    @Test
    void theZipLayoutRunsTheJarWithJavaHomesJavaAndEveryArgumentIntact() throws Exception {
        Path launcher = install(dir.resolve("timesync-1.0"), "bin", "lib");
        Run run = run(launcher, Map.of("JAVA_HOME", JAVA_HOME, "TIMESYNC_JAVA_OPTS", "-Dtimesync.test.opt=yes -Xmx64m"),
                "doctor", "--json", "two words", "");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.out()).contains("java.home=" + JAVA_HOME).contains("opt=yes").contains("launcher=" + launcher + "\n")
                .contains("arg=doctor\narg=--json\narg=two words\narg=\n");
    }

    private List<String> jvmOptions(Run run) {
        return run.out().lines().filter(l -> l.startsWith("jvm=")).map(l -> l.substring(4)).toList();
    }

    @Test
    void agentSettingsComeFirstSoThatTheUsersWin() throws Exception {
        Path launcher = install(dir.resolve("t"), "bin", "lib");
        Run run = run(launcher, Map.of("JAVA_HOME", JAVA_HOME, "TIMESYNC_JAVA_OPTS", "-Xmx64m -XX:TieredStopAtLevel=4"), "x");
        List<String> options = jvmOptions(run);
        assertThat(options).contains("-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=64m", "-Xss512k", "-Xmn2m",
                "-XX:CompileThresholdScaling=10", "-XX:ArchiveRelocationMode=0");
        assertThat(run.out()).contains("malloc.arenas=2\n");
        assertThat(options.indexOf("-Xmx128m")).isLessThan(options.indexOf("-Xmx64m"));
        assertThat(options.indexOf("-XX:TieredStopAtLevel=1")).isLessThan(options.indexOf("-XX:TieredStopAtLevel=4"));
        assertThat(options).doesNotContain("-Xint");
        Run daemon = run(launcher, Map.of("JAVA_HOME", JAVA_HOME, "TIMESYNC_JAVA_OPTS", "-Xmixed"), "daemon", "--mode", "fast");
        List<String> daemonOptions = jvmOptions(daemon);
        assertThat(daemonOptions.indexOf("-Xint")).isNotNegative().isLessThan(daemonOptions.indexOf("-Xmixed"));
        Run parallel = run(launcher, Map.of("JAVA_HOME", JAVA_HOME, "TIMESYNC_JAVA_OPTS", "-XX:+UseParallelGC"), "x");
        assertThat(parallel.exitCode()).as(parallel.err()).isEqualTo(3);
        assertThat(jvmOptions(parallel)).contains("-XX:+UseParallelGC").doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void theFirstRunMakesAClassDataArchiveThatLaterRunsUseUntilTheJarChanges() throws Exception {
        Path launcher = install(dir.resolve("t"), "bin", "lib");
        Run first = run(launcher, Map.of("JAVA_HOME", JAVA_HOME), "x");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(3);
        Path cache = dir.resolve("cache");
        List<Path> archives;
        try (var files = Files.list(cache)) {
            archives = files.filter(f -> f.toString().endsWith(".jsa")).toList();
        }
        assertThat(archives).hasSize(1);
        Path archive = archives.get(0);
        assertThat(Path.of(archive + ".key")).content().contains(dir.resolve("t/lib/timesync.jar").toRealPath().toString());
        assertThat(jvmOptions(first)).contains("-XX:SharedArchiveFile=" + archive);
        // What else the archive's JVM was found to have (native heap trimming, on Linux from 17.0.9) is used with it.
        List<String> settings = Files.readString(Path.of(archive + ".settings")).lines().filter(l -> !l.isBlank()).toList();
        assertThat(settings).allMatch(o -> o.startsWith("-XX:TrimNativeHeapInterval="));
        assertThat(jvmOptions(first)).containsAll(settings);

        Run second = run(launcher, Map.of("JAVA_HOME", JAVA_HOME), "x");
        assertThat(jvmOptions(second)).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(second.out()).isEqualTo(first.out());

        // A new jar of the same path: the archive is made again, and no JVM warning reaches stdout.
        String key = Files.readString(Path.of(archive + ".key"));
        Files.setLastModifiedTime(dir.resolve("t/lib/timesync.jar"), java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        Run changed = run(launcher, Map.of("JAVA_HOME", JAVA_HOME), "x");
        assertThat(changed.out()).isEqualTo(first.out());
        assertThat(Path.of(archive + ".key")).content().isNotEqualTo(key);
    }

    @Test
    void aBrokenArchiveIsPassedOverWithTheWarningOnStderrOnly() throws Exception {
        Path launcher = install(dir.resolve("t"), "bin", "lib");
        Run first = run(launcher, Map.of("JAVA_HOME", JAVA_HOME), "x");
        Path archive;
        try (var files = Files.list(dir.resolve("cache"))) {
            archive = files.filter(f -> f.toString().endsWith(".jsa")).findFirst().orElseThrow();
        }
        archive.toFile().setWritable(true);
        Files.write(archive, new byte[4096]);
        Run broken = run(launcher, Map.of("JAVA_HOME", JAVA_HOME), "x");
        assertThat(broken.exitCode()).as(broken.err()).isEqualTo(3);
        assertThat(broken.out()).isEqualTo(first.out());
    }

    @Test
    void timesyncCdsOffMakesNoArchive() throws Exception {
        Path launcher = install(dir.resolve("t"), "bin", "lib");
        Run run = run(launcher, Map.of("JAVA_HOME", JAVA_HOME, "TIMESYNC_CDS", "off"), "x");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(dir.resolve("cache")).doesNotExist();
        assertThat(jvmOptions(run)).noneMatch(o -> o.contains("SharedArchiveFile"));
    }

    @Test
    void theDebLayoutFindsTheJarUnderShareAndJavaOnPath() throws Exception {
        Path usr = dir.resolve("usr");
        Path launcher = install(usr, "bin", "share/timesync/lib");
        Path bin = Files.createDirectories(dir.resolve("jdk-bin"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(JAVA_HOME, "bin", "java"));
        Run run = run(launcher, Map.of("PATH", bin + ":/usr/bin:/bin"), "--version");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.out()).contains("arg=--version");
    }

    @Test
    void aSymbolicLinkOnThePathLeadsBackToTheJar() throws Exception {
        Path launcher = install(dir.resolve("opt/timesync"), "bin", "lib");
        Path links = Files.createDirectories(dir.resolve("local/bin"));
        Files.createSymbolicLink(links.resolve("timesync"), Path.of("../../opt/timesync/bin/timesync"));
        Run run = run(links.resolve("timesync"), Map.of("JAVA_HOME", JAVA_HOME), "status");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.out()).contains("arg=status");
        // The link is what was run, so a unit installed from here runs the link.
        assertThat(run.out()).contains("launcher=" + links.resolve("timesync") + "\n");
        assertThat(launcher).exists();
    }

    @Test
    void noJavaOrABadJavaHomeExits127SayingWhatToDo() throws Exception {
        Path launcher = install(dir.resolve("t"), "bin", "lib");
        Run bad = run(launcher, Map.of("JAVA_HOME", dir.resolve("nojdk").toString()), "--version");
        assertThat(bad.exitCode()).isEqualTo(127);
        assertThat(bad.err()).contains("JAVA_HOME is " + dir.resolve("nojdk")).contains("Java 17+");
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        Files.createSymbolicLink(empty.resolve("readlink"), Path.of("/bin/readlink"));
        Run none = run(launcher, Map.of("PATH", empty.toString()), "--version");
        assertThat(none.exitCode()).isEqualTo(127);
        assertThat(none.err()).contains("no Java found").contains("apt-get install default-jre-headless");
    }

    @Test
    void aMissingJarExits127() throws Exception {
        Path launcher = install(dir.resolve("t"), "bin", "lib");
        Files.delete(dir.resolve("t/lib/timesync.jar"));
        Run run = run(launcher, Map.of("JAVA_HOME", JAVA_HOME), "--version");
        assertThat(run.exitCode()).isEqualTo(127);
        assertThat(run.err()).contains("cannot find timesync.jar in " + dir.resolve("t").toRealPath());
    }
}
