package io.timesync.correct;

import io.timesync.text.DurationText;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands as real processes: an argument list (never a shell), no standard input, standard
 * output and error captured separately (each cut at 1 MiB), killed with its children when the
 * timeout passes.
 */
public final class ProcessCommandRunner implements CommandRunner {

    private static final Logger log = LoggerFactory.getLogger(ProcessCommandRunner.class);
    private static final int MAX_OUTPUT = 1 << 20;

    @Override
    public Result run(List<String> argv, Duration timeout) throws IOException, InterruptedException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        List<String> command = List.copyOf(argv);
        log.debug("running {}", command);
        Process process = new ProcessBuilder(command).start();
        // No input: closed at once rather than redirected from /dev/null, which Windows does not have.
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        boolean finished;
        try {
            finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        if (!finished) {
            kill(process);
            throw new IOException(command.get(0) + " did not finish within " + DurationText.of(timeout) + " and was killed: "
                    + command);
        }
        try {
            return new Result(command, process.exitValue(), out.get(), err.get());
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of " + command, e.getCause());
        }
    }

    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int room = MAX_OUTPUT - kept.size();
                if (room > 0) {
                    kept.write(buffer, 0, Math.min(n, room));
                }
            }
            return kept.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
