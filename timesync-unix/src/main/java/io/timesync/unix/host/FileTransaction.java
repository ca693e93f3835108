package io.timesync.unix.host;

import io.timesync.correct.Backups;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.Corrector.Applied;
import io.timesync.correct.Plan;
import io.timesync.files.AtomicFile;
import io.timesync.files.RawText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A change of the one file a time service reads, done so that a failure leaves the service as it
 * was: validate the new version, back the old one up ({@link Backups#begin}), write it atomically,
 * make the service use it (a reload or a restart), verify that it does, and only then journal the
 * change ({@link Backups#commit}); if anything after the write fails, the old file is put back, the
 * service made to use it again, and the backup discarded. A rollback goes the other way, one
 * journaled change at a time. What differs between services (validating, reloading, verifying) is
 * a {@link Service}.
 */
public final class FileTransaction {

    /** What a time service does around its file; its methods' failures are the transaction's messages. */
    public interface Service {

        /** The program named in messages, e.g. {@code chronyd}. */
        String daemon();

        /** How the service is made to use a file, in messages: {@code "reload"} or {@code "restart"}. */
        Use use();

        /** What a failed change says when the old file is back and used again. */
        String restoredAndUsed();

        /** Checks a version of the file before anything is changed; by default every version is accepted. */
        default void validate(String content) throws CorrectionException {
        }

        /**
         * Carries out a step of the plan that is not a file write (the transaction writes the files).
         *
         * @return what was done, in words
         * @throws IllegalArgumentException for a step the service cannot carry out
         */
        String execute(Plan.Step step) throws IOException, InterruptedException;

        /** Makes the service use {@code restored} again after a failed change wrote {@code written}. */
        void useRestored(String restored, String written) throws IOException, InterruptedException;

        /**
         * Makes the service use the version a rollback put back, {@code restored} (null: the file was
         * removed), in place of {@code current}, which the rolled-back change had made {@code written};
         * by default as after a failed change.
         */
        default void useRolledBack(String restored, String written, String current) throws IOException, InterruptedException {
            useRestored(restored, written);
        }

        /**
         * Checks that the service uses {@code content}; throws with what it uses instead.
         *
         * @return whether anything could be checked
         */
        boolean verify(String content) throws IOException, InterruptedException;
    }

    /** How a service is made to use a file, as messages say it. */
    public enum Use {
        /** The service rereads its file at run time. */
        RELOAD("reloading", "reloaded"),
        /** The service reads its file when it starts. */
        RESTART("restarting", "restarted");

        private final String doing;
        private final String done;

        Use(String doing, String done) {
            this.doing = doing;
            this.done = done;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(FileTransaction.class);

    private final String service;
    private final Path file;
    private final Backups backups;
    // Whether the file is shared with the user, TimeSync's lines in a ManagedBlock.
    private final boolean block;

    private FileTransaction(String service, Path file, Backups backups, boolean block) {
        this.service = Objects.requireNonNull(service, "service");
        this.file = Objects.requireNonNull(file, "file");
        this.backups = Objects.requireNonNull(backups, "backups");
        this.block = block;
    }

    /**
     * Changes of a file TimeSync owns entirely: a rollback puts back the whole file.
     *
     * @param service the service's name, recorded in the journal
     * @param file    the file
     * @param backups where its old versions and the journal go
     */
    public static FileTransaction ofFile(String service, Path file, Backups backups) {
        return new FileTransaction(service, file, backups, false);
    }

    /**
     * Changes of a file shared with the user, whose TimeSync lines are a {@link ManagedBlock}: a
     * rollback puts back only the block. The parameters are as for {@link #ofFile}.
     */
    public static FileTransaction ofManagedBlock(String service, Path file, Backups backups) {
        return new FileTransaction(service, file, backups, true);
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The file's content, or null when it does not exist. */
    public String read() throws IOException {
        return RawText.read(file);
    }

    /**
     * Applies a plan: its file writes (the last one is the file's new version) and the service's own
     * steps; a verified change is journaled, a failed one undone.
     *
     * @throws CorrectionException saying which step failed and whether the old file is back
     */
    public Applied apply(Plan plan, Service with) throws CorrectionException {
        List<Plan.WriteFile> writes = plan.steps().stream().filter(Plan.WriteFile.class::isInstance)
                .map(Plan.WriteFile.class::cast).toList();
        for (Plan.WriteFile write : writes) {
            with.validate(write.content());
        }
        String written = writes.isEmpty() ? null : writes.get(writes.size() - 1).content();
        String previous;
        Backups.Pending pending = null;
        try {
            previous = read();
            if (written != null) {
                pending = backups.begin(previous, written);
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
                } else {
                    done.add(with.execute(step));
                }
            }
            boolean verified = written != null && with.verify(written);
            if (pending != null) {
                backups.commit(pending, service);
            }
            return new Applied(plan, verified, done.isEmpty() ? "nothing to change" : String.join("; ", done));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (written == null) {
                throw new CorrectionException(e.getMessage(), false, e);
            }
            String failed = restore(previous, written, pending, with);
            throw new CorrectionException(e.getMessage() + "; " + (failed == null ? with.restoredAndUsed() : failed),
                    failed == null, e);
        }
    }

    /**
     * Restores the file as it was before the last applied change (the newest in the journal) and
     * makes the service use it, which it must then report: the current file is saved first, so the
     * rollback can be undone; in a shared file only the {@link ManagedBlock} is put back and the
     * user's lines stay as they are now. The change leaves the journal, so another rollback goes one
     * change further back.
     *
     * @return the copy restored
     * @throws CorrectionException naming the step that failed
     */
    public Path rollback(Service with) throws CorrectionException {
        Backups.Change change;
        String written;
        String current;
        String restored;
        try {
            change = backups.last().orElseThrow(() -> new CorrectionException("nothing to roll back: no applied change of "
                    + file + " is recorded in " + backups.directory().resolve(Backups.JOURNAL), false, null));
            written = change.writtenContent();
            current = read();
            restored = block ? ManagedBlock.rollback(change.previousContent(), written, current, file.getFileName().toString())
                    : change.previousContent();
        } catch (IOException | IllegalArgumentException e) {
            throw new CorrectionException("cannot read what the last change of " + file + " replaced: " + e.getMessage()
                    + "; nothing was changed", false, e);
        }
        if (restored != null && !restored.equals(current)) {
            with.validate(restored);
        }
        Path saved;
        try {
            saved = backups.saveBeforeRollback(current);
        } catch (IOException e) {
            throw new CorrectionException("cannot back up the current " + file + ": " + e.getMessage()
                    + "; nothing was changed", false, e);
        }
        try {
            backups.restore(restored);
        } catch (IOException e) {
            throw new CorrectionException("cannot write " + file + ": " + e.getMessage() + "; nothing was changed", false, e);
        }
        String what = (restored == null ? "removed " : "restored ") + file + " as it was before the change of "
                + change.time() + " (the version it replaced is kept as " + saved + ")";
        String daemon = with.daemon();
        try {
            with.useRolledBack(restored, written, current);
        } catch (IOException | RuntimeException e) {
            throw new CorrectionException(what + ", but " + with.use().doing + " " + daemon + " failed: " + e.getMessage()
                    + "; " + daemon + " reads the file when it starts, or run 'timesync rollback' again", false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CorrectionException(what + ", but was interrupted while " + with.use().doing + " " + daemon, false, e);
        }
        if (restored != null) {
            String used = what + " and " + with.use().done + " " + daemon + ", but ";
            try {
                with.verify(restored);
            } catch (IOException | RuntimeException e) {
                throw new CorrectionException(used + e.getMessage(), false, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CorrectionException(used + "was interrupted while verifying it", false, e);
            }
        }
        try {
            backups.rolledBack(change);
        } catch (IOException e) {
            throw new CorrectionException(what + " and " + daemon + " uses it, but the journal cannot be updated: "
                    + e.getMessage() + "; another rollback would restore the same version", true, e);
        }
        log.info("{}", what);
        return change.previous();
    }

    // Null when the previous file is back and the service uses it again, else what went wrong.
    private String restore(String previous, String written, Backups.Pending pending, Service with) {
        try {
            backups.restore(previous);
        } catch (IOException | RuntimeException e) {
            log.error("cannot restore {}: {}", file, e.toString());
            return "RESTORING THE PREVIOUS " + file + " FAILED (" + e.getMessage() + "): it is kept as " + pending.previous();
        }
        backups.discard(pending);
        try {
            with.useRestored(previous, written);
            return null;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.error("restored {}, but cannot make {} use it: {}", file, with.daemon(), e.toString());
            return "the previous " + file.getFileName() + " was restored, but " + with.use().doing + " " + with.daemon()
                    + " failed too: " + e.getMessage();
        }
    }
}
