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
 * block, timesyncd's drop-in): back up the file, write it atomically, run the commands, verify and
 * journal the change, and on any failure put the old file back and restart again. Corrections themselves (step, slew)
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
    // Whether the file is shared with the user, TimeSync's lines in a ManagedBlock.
    private final boolean block;

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
        this(service, file, backups, restart, runner, timeout, false);
    }

    /**
     * A file shared with the user, whose TimeSync lines are a {@link ManagedBlock}: a rollback puts
     * back only the block. The parameters are as for the other constructor.
     */
    public static RestartedFile withManagedBlock(String service, Path file, Backups backups, List<String> restart,
                                                 CommandRunner runner, Duration timeout) {
        return new RestartedFile(service, file, backups, restart, runner, timeout, true);
    }

    private RestartedFile(String service, Path file, Backups backups, List<String> restart, CommandRunner runner,
                          Duration timeout, boolean block) {
        this.block = block;
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

    /** Applies a plan of file writes, commands and (left to the service) corrections; a verified change is journaled. */
    public Applied apply(Plan plan, Verifier verifier) throws CorrectionException {
        Plan.WriteFile write = plan.steps().stream().filter(Plan.WriteFile.class::isInstance).map(Plan.WriteFile.class::cast)
                .reduce((a, b) -> b).orElse(null);
        String previous;
        Backups.Pending pending = null;
        try {
            previous = read();
            if (write != null) {
                pending = backups.begin(previous, write.content());
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
                backups.commit(pending, service);
            }
            return new Applied(plan, write != null, done.isEmpty() ? "nothing to change" : String.join("; ", done));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (write == null) {
                throw new CorrectionException(e.getMessage(), false, e);
            }
            String failed = restore(previous, pending);
            throw new CorrectionException(e.getMessage() + "; " + (failed == null ? "the previous " + file.getFileName()
                    + " was restored and " + service + " restarted" : failed), failed == null, e);
        }
    }

    /**
     * Restores the file as it was before the last applied change (the newest in the journal) and
     * restarts the service, which must then report what was restored: the current file is saved
     * first, so the rollback can be undone; in a shared file only the {@link ManagedBlock} is put back
     * and the user's lines stay as they are now. The change leaves the journal, so another rollback
     * goes one change further back.
     *
     * @param verifier checks the service after the restart (not called when the file was removed)
     * @return the copy restored
     * @throws CorrectionException naming the step that failed
     */
    public Path rollback(Verifier verifier) throws CorrectionException {
        Backups.Change change;
        String current;
        String restored;
        try {
            change = backups.last().orElseThrow(() -> new CorrectionException("nothing to roll back: no applied change of "
                    + file + " is recorded in " + backups.directory().resolve(Backups.JOURNAL), false, null));
            current = read();
            restored = block ? ManagedBlock.rollback(change.previousContent(), change.writtenContent(), current,
                    file.getFileName().toString()) : change.previousContent();
        } catch (IOException | IllegalArgumentException e) {
            throw new CorrectionException("cannot read what the last change of " + file + " replaced: " + e.getMessage()
                    + "; nothing was changed", false, e);
        }
        Path saved;
        try {
            saved = backups.saveBeforeRollback(current);
            backups.restore(restored);
        } catch (IOException e) {
            throw new CorrectionException("cannot back up and rewrite " + file + ": " + e.getMessage() + "; nothing was changed",
                    false, e);
        }
        String what = (restored == null ? "removed " : "restored ") + file + " as it was before the change of "
                + change.time() + " (the version it replaced is kept as " + saved + ")";
        try {
            run(restart);
        } catch (IOException e) {
            throw new CorrectionException(what + ", but restarting " + service + " failed: " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CorrectionException(what + ", but was interrupted while restarting " + service, false, e);
        }
        if (restored != null) {
            try {
                verifier.verify(restored);
            } catch (IOException | RuntimeException e) {
                throw new CorrectionException(what + " and restarted " + service + ", but " + e.getMessage(), false, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CorrectionException(what + " and restarted " + service + ", but was interrupted while verifying it",
                        false, e);
            }
        }
        try {
            backups.rolledBack(change);
        } catch (IOException e) {
            throw new CorrectionException(what + " and " + service + " uses it, but the journal cannot be updated: "
                    + e.getMessage() + "; another rollback would restore the same version", true, e);
        }
        log.info("{}", what);
        return change.previous();
    }

    private void run(List<String> argv) throws IOException, InterruptedException {
        CommandRunner.Result result = runner.run(argv, timeout);
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", argv) + " failed (exit " + result.exitCode() + "): "
                    + (result.stderr() + result.stdout()).strip());
        }
    }

    // Null when the previous file is back and the service restarted with it, else what went wrong.
    private String restore(String previous, Backups.Pending pending) {
        try {
            backups.restore(previous);
        } catch (IOException | RuntimeException e) {
            log.error("cannot restore {}: {}", file, e.toString());
            return "RESTORING THE PREVIOUS " + file + " FAILED (" + e.getMessage() + "): it is kept as " + pending.previous();
        }
        backups.discard(pending);
        try {
            run(restart);
            return null;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.error("restored {}, but cannot restart {}: {}", file, service, e.toString());
            return "the previous " + file.getFileName() + " was restored, but restarting " + service + " failed too: "
                    + e.getMessage();
        }
    }
}
