package io.timesync.unix;

import io.timesync.correct.Backups;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector.Applied;
import io.timesync.correct.Plan;
import io.timesync.files.AtomicFile;
import io.timesync.files.RawText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a corrector that owns one file and restarts its service applies a plan (ntpd's ntp.conf
 * block, timesyncd's drop-in): back up the file, write it atomically, run the commands, verify,
 * and on any failure put the old file back and restart again. Corrections themselves (step, slew)
 * are left to the service.
 */
public final class RestartedFile {

    /** Checks, after the restart, that the service uses what was written. */
    @FunctionalInterface
    public interface Verifier {
        /** Returns normally when the service reports {@code written}; throws with what it reports instead. */
        void verify(String written) throws IOException, InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(RestartedFile.class);

    private final String service;
    private final Path file;
    private final Backups backups;
    private final List<String> restart;
    private final CommandRunner runner;
    private final Duration timeout;

    /**
     * @param service  the service's name, for messages
     * @param file     the file TimeSync changes
     * @param backups  where its old versions go
     * @param restart  the argument list that restarts the service
     * @param runner   how commands are run
     * @param timeout  how long one command may take
     */
    public RestartedFile(String service, Path file, Backups backups, List<String> restart, CommandRunner runner,
                         Duration timeout) {
        this.service = Objects.requireNonNull(service, "service");
        this.file = Objects.requireNonNull(file, "file");
        this.backups = Objects.requireNonNull(backups, "backups");
        this.restart = List.copyOf(restart);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The file's content, or null when it does not exist. */
    public String read() throws IOException {
        return RawText.read(file);
    }

    /**
     * The plan: write {@code content} and restart when it differs from the file (null: leave the file
     * alone), then the action: a step is a restart (the service steps large offsets when it starts),
     * a slew is left to the service.
     */
    public Plan plan(String content, CorrectionPolicy.Action action) throws IOException {
        List<Plan.Step> steps = new ArrayList<>();
        boolean restarting = false;
        if (content != null && !content.equals(read())) {
            steps.add(new Plan.WriteFile(file, content));
            steps.add(new Plan.RunCommand(restart, timeout));
            restarting = true;
        }
        switch (action.kind()) {
            case STEP -> {
                if (!restarting) {
                    steps.add(new Plan.RunCommand(restart, timeout));
                }
                steps.add(new Plan.StepClock(action.nanos()));
            }
            case SLEW -> steps.add(new Plan.SlewClock(action.nanos()));
            default -> { }
        }
        return new Plan(service, steps, action.reason());
    }

    /** Applies a plan of file writes, commands and (left to the service) corrections. */
    public Applied apply(Plan plan, Verifier verifier) throws CorrectionException {
        Plan.WriteFile write = plan.steps().stream().filter(Plan.WriteFile.class::isInstance).map(Plan.WriteFile.class::cast)
                .reduce((a, b) -> b).orElse(null);
        String previous;
        try {
            previous = read();
            if (write != null) {
                backups.save(previous);
            }
        } catch (IOException e) {
            throw new CorrectionException("cannot back up " + file + ": " + e.getMessage() + "; nothing was changed", false, e);
        }
        List<String> done = new ArrayList<>();
        try {
            for (Plan.Step step : plan.steps()) {
                if (step instanceof Plan.WriteFile w) {
                    AtomicFile.write(w.path(), RawText.bytes(w.content()));
                    done.add("wrote " + w.path());
                } else if (step instanceof Plan.RunCommand c) {
                    run(c.argv());
                    done.add("ran " + String.join(" ", c.argv()));
                } else if (step instanceof Plan.StepClock || step instanceof Plan.SlewClock) {
                    done.add("left the correction to " + service);
                } else {
                    throw new IllegalArgumentException(service + " cannot carry out " + step);
                }
            }
            if (write != null) {
                verifier.verify(write.content());
            }
            return new Applied(plan, write != null, done.isEmpty() ? "nothing to change" : String.join("; ", done));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (write == null) {
                throw new CorrectionException(e.getMessage(), false, e);
            }
            boolean restored = restore(previous);
            throw new CorrectionException(e.getMessage() + (restored ? "; the previous " + file.getFileName()
                    + " was restored and " + service + " restarted" : "; RESTORING THE PREVIOUS " + file.getFileName()
                    + " FAILED, see the log"), restored, e);
        }
    }

    /** Puts the newest backup back and restarts the service. */
    public Path rollback() throws CorrectionException {
        try {
            Path newest = backups.newest().orElseThrow(() -> new CorrectionException("no backup of " + file, false, null));
            backups.restoreFrom(newest);
            run(restart);
            return newest;
        } catch (IOException e) {
            throw new CorrectionException("cannot restore the last backup of " + file + ": " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CorrectionException("interrupted while restoring " + file, false, e);
        }
    }

    private void run(List<String> argv) throws IOException, InterruptedException {
        CommandRunner.Result result = runner.run(argv, timeout);
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", argv) + " failed (exit " + result.exitCode() + "): "
                    + (result.stderr() + result.stdout()).strip());
        }
    }

    private boolean restore(String previous) {
        try {
            backups.restore(previous);
            run(restart);
            return true;
        } catch (IOException | InterruptedException | RuntimeException e) {
            log.error("cannot restore {}: {}", file, e.toString());
            return false;
        }
    }
}
