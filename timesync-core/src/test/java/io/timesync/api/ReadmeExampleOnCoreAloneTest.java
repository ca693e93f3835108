package io.timesync.api;

import io.timesync.testing.ChronyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an application that adds only {@code io.timesync:timesync-core} gets: the README's library
 * example, compiled against core and slf4j-api alone and run in a JVM of its own with nothing else on
 * its class path, against a real chronyd on loopback (the JDK's javac and java as processes).
 */
class ReadmeExampleOnCoreAloneTest {

    private static final Pattern EXAMPLE = Pattern.compile("## As a library\\s+```java\\n(.*?)```", Pattern.DOTALL);

    private static Path codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void theReadmeExampleRunsWithCoreAndSlf4jApiAlone(@TempDir Path dir) throws Exception {
        Matcher m = EXAMPLE.matcher(Files.readString(Path.of("..", "README.md")));
        assertThat(m.find()).as("README.md has an 'As a library' section opening with a java block").isTrue();
        try (ChronyServer chrony = ChronyServer.start(dir, 2)) {
            String body = m.group(1).replaceFirst("\\.servers\\([^)]*\\)", Matcher.quoteReplacement(".servers(\""
                    + chrony.ipv4Server() + "\").probeOptions(io.timesync.time.ProbeOptions.defaults().withSamples(2)"
                    + ".withSpacing(java.time.Duration.ofMillis(20)).withTimeout(java.time.Duration.ofMillis(300)))"));
            StringBuilder imports = new StringBuilder();
            StringBuilder code = new StringBuilder();
            for (String line : body.split("\n", -1)) {
                (line.startsWith("import ") ? imports : code).append(line).append('\n');
            }
            String last = "long bound = clock.errorBoundNanos();";
            assertThat(code.toString()).contains(last);
            String source = "package example;\n" + imports + "public final class Example {\n"
                    + "    public static void main(String[] args) throws Exception {\n"
                    + code.toString().replace(last, last + " System.out.println(\"trusted=\" + trusted + \" bound=\" + bound);")
                    + "    }\n}\n";
            Path file = Files.createDirectories(dir.resolve("src/example")).resolve("Example.java");
            Files.writeString(file, source);
            Path classes = Files.createDirectories(dir.resolve("classes"));
            String path = codeSource(TimeSync.class) + File.pathSeparator + codeSource(Logger.class);
            Path bin = Path.of(System.getProperty("java.home"), "bin");
            Process javac = new ProcessBuilder(List.of(bin.resolve("javac").toString(), "--release", "17", "-cp", path, "-d",
                    classes.toString(), file.toString())).redirectErrorStream(true).start();
            String diagnostics = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(javac.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(javac.exitValue()).as(diagnostics + "\n" + source).isZero();

            String java = bin.resolve("java").toString();
            Process p = new ProcessBuilder(List.of(java, "-cp", classes + File.pathSeparator + path, "example.Example"))
                    .redirectError(dir.resolve("stderr").toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out + Files.readString(dir.resolve("stderr"))).isZero();
            assertThat(out.lines().toList()).hasSize(2).satisfies(lines -> {
                assertThat(lines.get(0)).matches("offset -?\\d+ ns ± \\d+ ns from " + Pattern.quote(chrony.ipv4Server()));
                assertThat(lines.get(1)).matches("trusted=true bound=\\d+");
            });
        }
    }
}
