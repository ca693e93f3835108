package io.timesync.unix.chrony;

import io.timesync.correct.CommandRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * chronyd's control client as argument lists: numeric addresses ({@code -n}), CSV output
 * ({@code -c}) where parsed, and always the command socket ({@code -h PATH}): without it chronyc
 * asks this machine's chronyd, which under {@code --root} is not the one configured.
 */
public final class Chronyc {

    private final Path binary;
    private final Path socket;
    private final boolean loopback;
    private final CommandRunner runner;
    private final Duration timeout;

    /**
     * @param binary  the chronyc program
     * @param socket  chronyd's command socket ({@link ChronyConfig#commandSocket})
     * @param runner  how commands are run
     * @param timeout how long one command may take
     */
    public Chronyc(Path binary, Path socket, CommandRunner runner, Duration timeout) {
        this(binary, socket, false, runner, timeout);
    }

    /**
     * A client of this machine's own chronyd, which also tries chronyd's command port on loopback
     * when the socket cannot be opened, as chronyc does by default: monitoring ({@code tracking},
     * {@code sources}) then works without the socket's permissions. Only for the real system: under
     * another root, the loopback port is this machine's chronyd, not the one configured there.
     */
    public static Chronyc ofThisMachine(Path binary, Path socket, CommandRunner runner, Duration timeout) {
        return new Chronyc(binary, socket, true, runner, timeout);
    }

    private Chronyc(Path binary, Path socket, boolean loopback, CommandRunner runner, Duration timeout) {
        this.binary = Objects.requireNonNull(binary, "binary");
        this.socket = Objects.requireNonNull(socket, "socket");
        this.loopback = loopback;
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The argument list for a chronyc command, e.g. {@code argv("-c", "tracking")}. */
    public List<String> argv(String... command) {
        List<String> argv = new ArrayList<>();
        argv.add(binary.toString());
        argv.add("-h");
        // chronyc's own default is "SOCKET,127.0.0.1,::1".
        argv.add(loopback ? socket + ",127.0.0.1,::1" : socket.toString());
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

    /**
     * {@code chronyc add server HOST OPTIONS...}: adds a source at run time, as the {@code server}
     * directive {@code words} (e.g. {@code [server, 192.0.2.1, port, 4123, iburst]}) would at start.
     */
    public List<String> add(List<String> words) {
        List<String> command = new ArrayList<>(List.of("add"));
        command.addAll(words);
        return argv(command.toArray(String[]::new));
    }

    /** {@code chronyc delete ADDRESS}: removes a source at run time. */
    public List<String> delete(String address) {
        return argv("delete", address);
    }

    /** chronyd's tracking state. */
    public ChronyTracking tracking() throws IOException, InterruptedException {
        return ChronyTracking.parse(call(argv("-c", "tracking")));
    }

    /** chronyd's sources. */
    public List<ChronySource> sources() throws IOException, InterruptedException {
        return ChronySource.parseAll(call(argv("-c", "sources")));
    }

    /**
     * The remote port of each NTP source chronyd has, by address ({@code chronyc -c ntpdata}):
     * chronyd keys its sources by address, so this tells which port it uses for one.
     */
    public Map<String, Integer> ports() throws IOException, InterruptedException {
        Map<String, Integer> ports = new HashMap<>();
        for (String line : call(argv("-c", "ntpdata")).strip().split("\n")) {
            String[] f = line.strip().split(",", -1);
            if (f.length < 3) {
                if (!line.isBlank()) {
                    throw new IllegalArgumentException("chronyc ntpdata: expected comma-separated fields, got '"
                            + Csv.abbreviate(line) + "'");
                }
                continue;
            }
            ports.put(f[0], Csv.integer(f[2], "remote port"));
        }
        return ports;
    }

    /** Runs a command; a non-zero exit is an {@link IOException} carrying chronyc's own message. */
    public CommandRunner.Result run(List<String> argv) throws IOException, InterruptedException {
        return checked(argv, runner.run(argv, timeout));
    }

    /**
     * Runs a change of chronyd's sources ({@link #add}, {@link #delete}, {@link #reloadSources}) as
     * {@link #run} does, except that deleting a source chronyd does not have ("503 No such source")
     * or adding one it has ("511 Source already present") is not a failure: chronyd is as wanted.
     */
    public CommandRunner.Result change(List<String> argv) throws IOException, InterruptedException {
        CommandRunner.Result result = runner.run(argv, timeout);
        int at = argv.indexOf("-n");
        String command = at >= 0 && at + 1 < argv.size() ? argv.get(at + 1) : "";
        String answer = result.stdout().strip();
        if (command.equals("delete") && answer.startsWith("503 ") || command.equals("add") && answer.startsWith("511 ")) {
            return result;
        }
        return checked(argv, result);
    }

    private static CommandRunner.Result checked(List<String> argv, CommandRunner.Result result) throws IOException {
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
