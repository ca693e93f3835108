package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.testing.ChronyExtension;
import io.timesync.testing.OffsetBound;
import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded {@code timesync.jar} as built by {@code package}: multi-release with core's Java 22
 * classes, native access granted in its manifest, and on JDK 25 probing a real chronyd with the
 * kernel's timestamps, without a word from the JVM about native access. An integration test (the
 * {@code archives} execution) because the jar exists only after {@code package}.
 */
class ShadedJarIT {

    private static final Path JAR = Path.of(System.getProperty("timesync.target", "target")).resolve("timesync.jar");
    private static final Path DEFAULT_JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ChronyExtension CHRONY = new ChronyExtension(9);

    @Test
    void theJarIsMultiReleaseWithCoresJava22ClassesAndGrantsNativeAccess() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Multi-Release")).isEqualTo("true");
            assertThat(manifest.getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
            assertThat(jar.getEntry("META-INF/versions/22/io/timesync/probe/ExchangeSockets.class")).isNotNull();
            assertThat(jar.getEntry("META-INF/versions/22/io/timesync/probe/KernelTimestampSocket.class")).isNotNull();
            assertThat(jar.getEntry("io/timesync/probe/ExchangeSockets.class")).isNotNull();
        }
    }

    @Test
    void onJdk25TheJarProbesChronyWithTheKernelsTimestamps(@TempDir Path dir) throws Exception {
        String log = probe(dir, "-jar", JAR.toString());
        assertThat(log).contains("kernel send and receive timestamps on").doesNotContain("WARNING");
        assertWithinTheBound(dir);
    }

    @Test
    void withoutNativeAccessItFallsBackToTheJdksSockets(@TempDir Path dir) throws Exception {
        // On the class path, not run as a jar: its manifest's grant does not apply.
        String log = probe(dir, "-cp", JAR.toString(), Main.class.getName());
        assertThat(log).contains("kernel receive timestamps unavailable: native access is not enabled")
                .doesNotContain("timestamps on").doesNotContain("WARNING");
        assertWithinTheBound(dir);
    }

    /** Runs {@code timesync probe -v --json} against chronyd on JDK 25 with {@code launch} before it; its log. */
    private static String probe(Path dir, String... launch) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(jdk25().toString()));
        command.addAll(List.of(launch));
        command.addAll(List.of("probe", "-v", "--json", "--spacing", "20ms", CHRONY.server().ipv4Server()));
        Path err = dir.resolve("err");
        Process probe = new ProcessBuilder(command).redirectError(err.toFile())
                .redirectOutput(dir.resolve("out").toFile()).start();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("the probe ends").isTrue();
        String log = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(probe.exitValue()).as(log).isZero();
        return log;
    }

    private static void assertWithinTheBound(Path dir) throws IOException {
        JsonNode server = JSON.readTree(dir.resolve("out").toFile()).get("servers").get(0);
        assertThat(server.get("samples")).hasSize(4);
        for (JsonNode sample : server.get("samples")) {
            assertThat(sample.get("delayNs").asLong()).as("%s", sample).isPositive();
            OffsetBound.assertWithin(sample.get("offsetNs").asLong(), sample.get("delayNs").asLong(),
                    server.get("precision").asInt(), 0, "JDK 25 probe sample " + sample);
        }
    }

    /** The JDK 25 the build compiles core's Java 22 classes with (TIMESYNC_JAVA25 names another). */
    private static Path jdk25() {
        String named = System.getenv("TIMESYNC_JAVA25");
        Path java = named != null && !named.isEmpty() ? Path.of(named) : DEFAULT_JDK25;
        if (!Files.isExecutable(java)) {
            RequiredTool.missing("no JDK 25 java at " + java + " (TIMESYNC_JAVA25 names one): install Temurin 25");
        }
        return java;
    }
}
