package io.timesync.unix.chrony;

import io.timesync.correct.CommandRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * chronyd's control client as argument lists: numeric addresses ({@code -n}), CSV output
 * ({@code -c}) where parsed, and the command socket ({@code -h PATH}) when one is given (a
 * test's chronyd, or a non-default one).
 */
public final class Chronyc {

    private final Path binary;
    private final Path socket;
    private final CommandRunner runner;
    private final Duration timeout;

    /**
     * @param binary  the chronyc program
     * @param socket  chronyd's command socket, or null for chronyc's default
     * @param runner  how commands are run
     * @param timeout how long one command may take
     */
    public Chronyc(Path binary, Path socket, CommandRunner runner, Duration timeout) {
        this.binary = Objects.requireNonNull(binary, "binary");
        this.socket = socket;
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The argument list for a chronyc command, e.g. {@code argv("-c", "tracking")}. */
    public List<String> argv(String... command) {
        List<String> argv = new ArrayList<>();
        argv.add(binary.toString());
        if (socket != null) {
            argv.add("-h");
            argv.add(socket.toString());
        }
        argv.add("-n");
        argv.addAll(List.of(command));
        return argv;
    }

    /** {@code chronyc reload sources}: re-reads the sourcedir files. */
    public List<String> reloadSources() {
        return argv("reload", "sources");
    }

    /** {@code chronyc makestep}: steps the clock by the current offset at once. */
    public List<String> makestep() {
        return argv("makestep");
    }

    /** chronyd's tracking state. */
    public ChronyTracking tracking() throws IOException, InterruptedException {
        return ChronyTracking.parse(call(argv("-c", "tracking")));
    }

    /** chronyd's sources. */
    public List<ChronySource> sources() throws IOException, InterruptedException {
        return ChronySource.parseAll(call(argv("-c", "sources")));
    }

    /** Runs a command; a non-zero exit is an {@link IOException} carrying chronyc's own message. */
    public CommandRunner.Result run(List<String> argv) throws IOException, InterruptedException {
        CommandRunner.Result result = runner.run(argv, timeout);
        if (!result.succeeded() || result.stdout().startsWith("50")) {
            String message = (result.stderr() + result.stdout()).strip();
            throw new IOException(String.join(" ", argv) + " failed (exit " + result.exitCode() + "): " + message);
        }
        return result;
    }

    private String call(List<String> argv) throws IOException, InterruptedException {
        return run(argv).stdout();
    }

    /** How commands are run (for correctors sharing it). */
    CommandRunner runner() {
        return runner;
    }

    /** How long one command may take. */
    Duration timeout() {
        return timeout;
    }
}
