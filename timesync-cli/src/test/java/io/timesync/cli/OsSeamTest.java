package io.timesync.cli;

import io.timesync.app.Machine;
import io.timesync.app.Platforms;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OS seam holds in the sources: the CLI and the application never ask which platform they are on
 * (only {@link Platforms}
 * looks at the OS or a platform's name), and the one real command runner is built in {@link Machine},
 * in all main code of every module, so every external command goes through the injected runner.
 */
class OsSeamTest {

    private static final Path CLI_MAIN = Path.of("src/main/java");
    private static final Path APP_MAIN = Path.of("../timesync-app/src/main/java");
    private static final Pattern PLATFORM_NAME = Pattern.compile(
            "(?i)platform(\\(\\))?\\.name\\(\\)\\s*\\.equals"
                    + "|\"(windows|linux|macos)\"\\s*\\.equals"
                    + "|equals(IgnoreCase)?\\(\\s*\"(windows|linux|macos)\"\\s*\\)"
                    + "|os\\.name");
    private static final Pattern NEW_RUNNER = Pattern.compile("new\\s+ProcessCommandRunner\\s*\\(");

    @Test
    void onlyPlatformsAsksWhichPlatformThisIs() throws IOException {
        List<String> found = matches(List.of(CLI_MAIN, APP_MAIN), PLATFORM_NAME);
        assertThat(found).as("platform names are Platforms' business; call the Platform instead")
                .allMatch(hit -> hit.startsWith(APP_MAIN.resolve("io/timesync/app/Platforms.java") + ":"));
        assertThat(found).as("the scan sees Platforms' own look at os.name").isNotEmpty();
    }

    @Test
    void theRealCommandRunnerIsBuiltOnceInAllMainCode() throws IOException {
        List<Path> roots = new ArrayList<>();
        try (Stream<Path> modules = Files.list(Path.of("..").toAbsolutePath().normalize())) {
            modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).sorted().forEach(roots::add);
        }
        assertThat(roots).as("the modules' main sources").hasSizeGreaterThanOrEqualTo(4);
        List<String> found = matches(roots, NEW_RUNNER);
        String machine = APP_MAIN.resolve("io/timesync/app/Machine.java").toAbsolutePath().normalize() + ":";
        assertThat(found).as("pass the machine's runner down instead of building one").hasSize(1);
        assertThat(found.get(0)).startsWith(machine);
    }

    /** Every line of the Java sources under {@code roots} that {@code pattern} finds, as {@code file:line: text}. */
    private static List<String> matches(List<Path> roots, Pattern pattern) throws IOException {
        List<String> hits = new ArrayList<>();
        Set<String> skipped = Set.of("module-info.java");
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                        .filter(f -> !skipped.contains(f.getFileName().toString())).sorted().toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (pattern.matcher(lines.get(i)).find()) {
                            hits.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        return hits;
    }
}
