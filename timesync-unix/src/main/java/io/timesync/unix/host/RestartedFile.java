package io.timesync.unix.host;

import io.timesync.correct.Backups;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector.Applied;
import io.timesync.correct.Plan;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a corrector that owns one file and restarts its service plans and applies a change (ntpd's
 * ntp.conf block, timesyncd's drop-in): a {@link FileTransaction} whose service is restarted to use
 * the file. Corrections themselves (step, slew) are left to the service.
 */
public final class RestartedFile {

    /** Checks, after the restart, that the service uses what was written. */
    @FunctionalInterface
    public interface Verifier {
        /** Returns normally when the service reports {@code written}; throws with what it reports instead. */
        void verify(String written) throws IOException, InterruptedException;
    }

    private final String service;
    private final Path file;
    private final FileTransaction transaction;
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
        this.service = Objects.requireNonNull(service, "service");
        this.file = Objects.requireNonNull(file, "file");
        this.transaction = block ? FileTransaction.ofManagedBlock(service, file, backups)
                : FileTransaction.ofFile(service, file, backups);
        this.restart = List.copyOf(restart);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The file's content, or null when it does not exist. */
    public String read() throws IOException {
        return transaction.read();
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
        return transaction.apply(plan, restarting(verifier));
    }

    /**
     * Restores the file as it was before the last applied change (the newest in the journal) and
     * restarts the service, which must then report what was restored ({@link FileTransaction#rollback}).
     *
     * @param verifier checks the service after the restart (not called when the file was removed)
     * @return the copy restored
     * @throws CorrectionException naming the step that failed
     */
    public Path rollback(Verifier verifier) throws CorrectionException {
        return transaction.rollback(restarting(verifier));
    }

    // The service as the transaction sees it: restarted to use a file, verified by the verifier.
    private FileTransaction.Service restarting(Verifier verifier) {
        return new FileTransaction.Service() {
            @Override
            public String daemon() {
                return service;
            }

            @Override
            public FileTransaction.Use use() {
                return FileTransaction.Use.RESTART;
            }

            @Override
            public String restoredAndUsed() {
                return "the previous " + file.getFileName() + " was restored and " + service + " restarted";
            }

            @Override
            public String execute(Plan.Step step) throws IOException, InterruptedException {
                if (step instanceof Plan.RunCommand c) {
                    run(c.argv());
                    return "ran " + String.join(" ", c.argv());
                }
                if (step instanceof Plan.StepClock || step instanceof Plan.SlewClock) {
                    return "left the correction to " + service;
                }
                throw new IllegalArgumentException(service + " cannot carry out " + step);
            }

            @Override
            public void useRestored(String restored, String written) throws IOException, InterruptedException {
                run(restart);
            }

            @Override
            public boolean verify(String content) throws IOException, InterruptedException {
                verifier.verify(content);
                return true;
            }
        };
    }

    private void run(List<String> argv) throws IOException, InterruptedException {
        CommandRunner.Result result = runner.run(argv, timeout);
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", argv) + " failed (exit " + result.exitCode() + "): "
                    + (result.stderr() + result.stdout()).strip());
        }
    }
}
