package io.timesync.correct;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessCommandRunnerTest {

    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @Test
    void capturesOutputErrorAndExitCode() throws Exception {
        CommandRunner.Result r = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.succeeded()).isFalse();
    }

    @Test
    void argumentsAreNeverInterpretedByAShell() throws Exception {
        CommandRunner.Result r = runner.run(List.of("echo", "a; rm -rf /", "$(id)", "`id`"), Duration.ofSeconds(10));
        assertThat(r.stdout()).isEqualTo("a; rm -rf / $(id) `id`\n");
    }

    @Test
    void aCommandThatHangsIsKilledAtTheTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> runner.run(List.of("sleep", "30"), Duration.ofMillis(300)))
                .isInstanceOf(IOException.class).hasMessageContaining("did not finish within 300ms");
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void aMissingProgramIsAnIOException() {
        assertThatThrownBy(() -> runner.run(List.of("/nonexistent/timesync-test"), Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void standardInputIsEmpty() throws Exception {
        assertThat(runner.run(List.of("cat"), Duration.ofSeconds(5)).stdout()).isEmpty();
    }
}
