package io.timesync.memo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A real writer process killed with SIGKILL in the middle of its writes, again and again; then a store starts. */
class KilledWriterTest {

    private static final int KILLS = 5;

    @TempDir
    Path state;

    @Test
    void aWriterKilledMidWriteLeavesAReadableMemoAndTemporaryFilesThatTheNextStartSweeps() throws Exception {
        int leftBehind = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process writer = start();
            try {
                // Killed as soon as a write is seen in progress: the temporary file exists only during one.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (temporaryFiles().isEmpty() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            } finally {
                writer.destroyForcibly();
                assertThat(writer.waitFor(10, TimeUnit.SECONDS)).as("the writer ended").isTrue();
            }
            leftBehind = temporaryFiles().size();
        }
        // Each killed write left its file; the stores that followed swept the earlier ones.
        assertThat(leftBehind).as("temporary files of the last killed write").isPositive();

        JsonMemoStore store = new JsonMemoStore(state);
        Memo before = store.load();
        store.update(m -> m);

        assertThat(temporaryFiles()).isEmpty();
        assertThat(before.servers()).hasSize(64);
        assertThat(store.load()).isEqualTo(before);
    }

    private Process start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = Stream.of(System.getProperty("java.class.path"), System.getProperty("jdk.module.path"))
                .filter(p -> p != null && !p.isEmpty()).collect(Collectors.joining(File.pathSeparator));
        Process writer = new ProcessBuilder(java, "-Xmx256m", "-cp", classPath, MemoWriterMain.class.getName(), state.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"ready".equals(line)) {
            writer.destroyForcibly();
            throw new IllegalStateException("the writer did not start: " + line);
        }
        return writer;
    }

    private List<Path> temporaryFiles() throws Exception {
        try (Stream<Path> files = Files.list(state)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
