package io.timesync.cli;

import io.timesync.testing.ChronyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "As a library" example, taken from README.md as it is, compiled with the JDK's compiler
 * against this build and run against a real chronyd on loopback (only the server names replaced, and
 * quicker probes), so the README cannot drift from the API.
 */
class ReadmeExampleTest {

    // Two quick requests instead of four 2 s apart: the example runs in well under a second.
    private static final String QUICK = ".probeOptions(io.timesync.time.ProbeOptions.defaults().withSamples(2)"
            + ".withSpacing(java.time.Duration.ofMillis(20)).withTimeout(java.time.Duration.ofMillis(300)))";

    private static final Pattern EXAMPLE = Pattern.compile("## As a library\\s+```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SERVERS = Pattern.compile("\\.servers\\(([^)]*)\\)");

    static String example() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = EXAMPLE.matcher(readme);
        assertThat(m.find()).as("README.md has an 'As a library' section opening with a java block").isTrue();
        return m.group(1);
    }

    /** The example as a class: its imports on top, the rest as the body of {@code run()}. */
    static String program(String example, String server) {
        Matcher servers = SERVERS.matcher(example);
        assertThat(servers.find()).as("the example names its servers with .servers(...)").isTrue();
        String body = servers.replaceFirst(Matcher.quoteReplacement(".servers(\"" + server + "\")" + QUICK));
        StringBuilder imports = new StringBuilder();
        StringBuilder code = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            (line.startsWith("import ") ? imports : code).append(line).append('\n');
        }
        // What the comments promise is recorded where the example's variables are in scope.
        String last = "long bound = clock.errorBoundNanos();";
        assertThat(code.toString()).as("the example reads the error bound after refresh()").contains(last);
        String checked = code.toString().replace(last, last + " SEEN.add(trusted); SEEN.add(bound);");
        return "package example;\n" + imports + "public final class Example {\n"
                + "    public static final java.util.List<Object> SEEN = new java.util.ArrayList<>();\n"
                + "    public static void run() throws Exception {\n" + checked + "    }\n}\n";
    }

    @Test
    void theLibraryExampleCompilesAndRunsAgainstARealServer(@TempDir Path dir) throws Exception {
        try (ChronyServer chrony = ChronyServer.start(dir, 2)) {
            String source = program(example(), chrony.ipv4Server());
            Path file = Files.createDirectories(dir.resolve("src/example")).resolve("Example.java");
            Files.writeString(file, source);
            Path classes = Files.createDirectories(dir.resolve("classes"));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            int status = javac.run(null, diagnostics, diagnostics, "--release", "17", "-Xlint:all", "-Werror",
                    "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), file.toString());
            assertThat(status).as(() -> diagnostics.toString(StandardCharsets.UTF_8) + "\n" + source).isZero();

            PrintStream stdout = System.out;
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            List<?> seen;
            try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
                Class<?> example = loader.loadClass("example.Example");
                Method run = example.getMethod("run");
                System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
                run.invoke(null);
                seen = (List<?>) example.getField("SEEN").get(null);
            } finally {
                System.setOut(stdout);
            }
            // After refresh() against an honest server: synchronized, with a finite bound.
            assertThat(seen).hasSize(2);
            assertThat(seen.get(0)).isEqualTo(Boolean.TRUE);
            assertThat((Long) seen.get(1)).isPositive().isLessThan(Long.MAX_VALUE);
            List<String> lines = new ArrayList<>(printed.toString(StandardCharsets.UTF_8).lines().toList());
            assertThat(lines).singleElement().satisfies(l -> assertThat(l)
                    .matches("offset -?\\d+ ns ± \\d+ ns from " + Pattern.quote(chrony.ipv4Server())));
        }
    }
}
