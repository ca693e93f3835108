package io.timesync.windows.service;

import io.timesync.correct.CommandRunner;
import io.timesync.correct.Plan;
import io.timesync.text.DurationText;
import io.timesync.windows.w32time.CommandFailure;
import io.timesync.windows.w32time.ScOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Installs and removes the periodic run of TimeSync on Windows: as a service through NSSM when
 * NSSM is there (NSSM restarts {@code timesync sync} each time it exits, after the interval), else as
 * a scheduled task running as SYSTEM every N minutes ({@code schtasks /create /ru SYSTEM /sc minute
 * /mo N}). Plans first, so a dry run prints exactly the argument lists; a failed install removes what
 * it had created. Where a whole command line is stored as one string (the task's {@code /tr}, NSSM's
 * AppParameters), each argument is quoted by Windows' rules and the string is passed as one
 * argument, quoted as a whole, so that paths with spaces survive both splits.
 */
public final class WindowsServiceInstaller {

    /** The service's and the task's name. */
    public static final String NAME = "TimeSync";
    /** schtasks stores at most this many characters of /tr. */
    static final int MAX_TASK_COMMAND = 261;

    private static final Logger log = LoggerFactory.getLogger(WindowsServiceInstaller.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final CommandRunner runner;
    private final Path nssm;

    /**
     * @param runner how commands are run
     * @param nssm   the nssm program, or null to use a scheduled task
     */
    public WindowsServiceInstaller(CommandRunner runner, Path nssm) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.nssm = nssm;
    }

    /**
     * NSSM where it was asked for ({@code configured}, which must then be a file), else the first
     * {@code nssm.exe} on the PATH of {@code env}, else none.
     *
     * @throws IOException when {@code configured} is given but is not a file
     */
    public static Optional<Path> findNssm(Path configured, Map<String, String> env) throws IOException {
        if (configured != null) {
            if (!Files.isRegularFile(configured)) {
                throw new IOException("NSSM was asked for at " + configured + ", but there is no such file");
            }
            return Optional.of(configured.toAbsolutePath());
        }
        String path = env.getOrDefault("Path", env.getOrDefault("PATH", ""));
        for (String dir : path.split(File.pathSeparator)) {
            try {
                Path candidate = Path.of(dir.strip().replace("\"", ""), "nssm.exe");
                if (!dir.isBlank() && Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException e) {
                log.debug("skipping PATH entry {}: {}", dir, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Which way this installer works: {@code nssm} or {@code schtasks}. */
    public String scheduler() {
        return nssm != null ? "nssm" : "schtasks";
    }

    /**
     * The plan that runs {@code command} (an absolute program and its arguments) every {@code interval}.
     *
     * @throws IllegalArgumentException for a relative program, an interval a scheduled task cannot
     *                                  express (1 to 1439 whole minutes), or a command line too long for one
     */
    public Plan install(List<String> command, Duration interval) {
        if (command.isEmpty() || !isAbsoluteWindowsPath(command.get(0))) {
            throw new IllegalArgumentException("the program must be an absolute path such as C:\\TimeSync\\bin\\timesync.cmd, got "
                    + command);
        }
        List<Plan.Step> steps = new ArrayList<>();
        if (nssm != null) {
            if (interval.compareTo(Duration.ofSeconds(10)) < 0 || interval.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("the interval must be from 10s to 1 day, got " + DurationText.of(interval));
            }
            String parameters = WindowsCommandLine.join(command.subList(1, command.size()));
            steps.add(nssm("install", NAME, command.get(0)));
            if (!parameters.isEmpty()) {
                steps.add(nssm("set", NAME, "AppParameters", whole(parameters)));
            }
            steps.add(nssm("set", NAME, "DisplayName", NAME));
            steps.add(nssm("set", NAME, "Description", whole("Selects time servers and corrects the clock through w32time")));
            steps.add(nssm("set", NAME, "Start", "SERVICE_AUTO_START"));
            // One sync per start; NSSM starts it again this long after it exits.
            steps.add(nssm("set", NAME, "AppExit", "Default", "Restart"));
            steps.add(nssm("set", NAME, "AppRestartDelay", Long.toString(interval.toMillis())));
            steps.add(nssm("start", NAME));
            return new Plan("nssm", steps, "run TimeSync as the service " + NAME + ", again " + interval.toSeconds()
                    + " s after each run ends");
        }
        long minutes = Math.max(1, (interval.toSeconds() + 59) / 60);
        if (minutes > 1439) {
            throw new IllegalArgumentException("a scheduled task repeats every 1 to 1439 minutes, got " + DurationText.of(interval));
        }
        String line = WindowsCommandLine.join(command);
        if (line.length() > MAX_TASK_COMMAND) {
            throw new IllegalArgumentException("the command line is " + line.length() + " characters; a scheduled task takes at most "
                    + MAX_TASK_COMMAND + ": install TimeSync in a shorter path or pass --exec with bin\\timesync.cmd");
        }
        steps.add(command("schtasks", "/create", "/tn", NAME, "/tr", whole(line), "/sc", "minute", "/mo", Long.toString(minutes),
                "/ru", "SYSTEM", "/rl", "HIGHEST", "/f"));
        return new Plan("schtasks", steps, "run TimeSync every " + DurationText.of(Duration.ofMinutes(minutes)) + " as SYSTEM (scheduled task "
                + NAME + ")" + (minutes * 60 != interval.toSeconds() ? "; " + DurationText.of(interval) + " rounded up to whole minutes"
                : ""));
    }

    /**
     * The plan that keeps {@code command} ({@code timesync daemon}) running as the service {@value #NAME}
     * through NSSM, restarted 10 s after it fails. NSSM stops it with Ctrl-C, which the daemon handles
     * like SIGTERM. A scheduled task cannot supervise a daemon, so NSSM is required.
     *
     * @throws IllegalArgumentException for a relative program, or when NSSM is not there
     */
    public Plan installDaemon(List<String> command) {
        if (command.isEmpty() || !isAbsoluteWindowsPath(command.get(0))) {
            throw new IllegalArgumentException("the program must be an absolute path such as C:\\TimeSync\\bin\\timesync.cmd, got "
                    + command);
        }
        if (nssm == null) {
            throw new IllegalArgumentException("keeping the daemon running needs NSSM (nssm.exe on the PATH, or --nssm PATH);"
                    + " without it, install the periodic runs (--mode fast or lazy)");
        }
        List<Plan.Step> steps = new ArrayList<>();
        String parameters = WindowsCommandLine.join(command.subList(1, command.size()));
        steps.add(nssm("install", NAME, command.get(0)));
        if (!parameters.isEmpty()) {
            steps.add(nssm("set", NAME, "AppParameters", whole(parameters)));
        }
        steps.add(nssm("set", NAME, "DisplayName", NAME));
        steps.add(nssm("set", NAME, "Description", whole("Keeps the clock right through w32time (TimeSync agent)")));
        steps.add(nssm("set", NAME, "Start", "SERVICE_AUTO_START"));
        steps.add(nssm("set", NAME, "AppExit", "Default", "Restart"));
        steps.add(nssm("set", NAME, "AppRestartDelay", "10000"));
        steps.add(nssm("start", NAME));
        return new Plan("nssm", steps, "keep the TimeSync agent running as the service " + NAME);
    }

    /**
     * The plan that removes what {@link #install} put in place, either way: reads whether the task and
     * the service exist ({@code schtasks /query}, {@code sc query}) and removes those that do.
     */
    public Plan uninstall() throws IOException, InterruptedException {
        List<Plan.Step> steps = new ArrayList<>();
        boolean task = runner.run(List.of("schtasks", "/query", "/tn", NAME), TIMEOUT).succeeded();
        if (task) {
            steps.add(command("schtasks", "/delete", "/tn", NAME, "/f"));
        }
        CommandRunner.Result service = runner.run(List.of("sc", "query", NAME), TIMEOUT);
        if (service.succeeded()) {
            boolean running = ScOutput.state(service.stdout()) != ScOutput.STOPPED;
            if (nssm != null) {
                if (running) {
                    steps.add(nssm("stop", NAME));
                }
                steps.add(nssm("remove", NAME, "confirm"));
            } else {
                // Without NSSM, sc removes the service NSSM had registered.
                if (running) {
                    steps.add(command("sc", "stop", NAME));
                }
                steps.add(command("sc", "delete", NAME));
            }
        } else if (ScOutput.failure(service.stdout() + service.stderr()).orElse(0) != ScOutput.NO_SUCH_SERVICE) {
            throw CommandFailure.of(service);
        }
        String by = service.succeeded() ? (nssm != null ? "nssm" : "sc") : task ? "schtasks" : scheduler();
        return new Plan(by, steps, steps.isEmpty() ? "nothing to remove: neither the task nor the service " + NAME + " exists"
                : "stop running TimeSync periodically");
    }

    /**
     * Carries out a plan from this installer. If an install step fails, the service or task created
     * so far is removed again, so nothing is left half-installed.
     *
     * @throws CommandFailure naming the command that failed, with its own message
     */
    public void apply(Plan plan) throws IOException, InterruptedException {
        List<List<String>> undo = new ArrayList<>();
        try {
            for (Plan.Step step : plan.steps()) {
                if (!(step instanceof Plan.RunCommand c)) {
                    throw new IllegalArgumentException("a Windows service plan cannot contain " + step);
                }
                CommandFailure.check(runner.run(c.argv(), c.timeout()));
                if (c.argv().size() > 1 && c.argv().get(1).equals("install")) {
                    undo.add(List.of(c.argv().get(0), "remove", NAME, "confirm"));
                }
            }
        } catch (IOException | RuntimeException e) {
            for (List<String> argv : undo) {
                CommandRunner.Result result = runner.run(argv, TIMEOUT);
                if (!result.succeeded()) {
                    log.error("cannot remove the half-installed service: {}", CommandFailure.of(result).getMessage());
                }
            }
            throw e;
        }
    }

    /** Whether {@code path} is absolute on Windows ({@code C:\...} or {@code \\server\share\...}), on any OS. */
    static boolean isAbsoluteWindowsPath(String path) {
        return path.matches("(?i)[a-z]:[\\\\/].*") || path.startsWith("\\\\");
    }

    /** A string that must reach the program as ONE argument exactly, whatever Java's own quoting does. */
    private static String whole(String value) {
        // Quoted as a whole, the string starts and ends with a quote, which Java's Windows launcher passes unchanged.
        String quoted = WindowsCommandLine.quote(value);
        return quoted.startsWith("\"") ? quoted : value;
    }

    private Plan.RunCommand nssm(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(nssm.toString());
        argv.addAll(List.of(args));
        return new Plan.RunCommand(argv, TIMEOUT);
    }

    private static Plan.RunCommand command(String... argv) {
        return new Plan.RunCommand(List.of(argv), TIMEOUT);
    }
}
