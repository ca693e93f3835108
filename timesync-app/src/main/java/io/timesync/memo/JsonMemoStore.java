package io.timesync.memo;

import io.timesync.text.DurationText;

import io.timesync.time.TimeSource;
import io.timesync.files.AtomicFile;
import io.timesync.files.RegularFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The memo as {@code memo.json} in a state directory.
 *
 * <ul>
 *   <li>Writes are atomic: a temporary file in the same directory, forced to disk, renamed over the
 *       old one, and the directory forced too; a crash leaves the old memo or the new one.</li>
 *   <li>{@link #update} holds an exclusive lock on {@code memo.lock} (and an in-process lock, which
 *       file locks do not give between threads), waiting at most the lock timeout, so two agents
 *       cannot interleave their read-change-write.</li>
 *   <li>A file that cannot be parsed is moved aside to {@code memo.json.corrupt[.N]} with a warning
 *       and the run starts from {@link Memo#EMPTY}: bad state never stops the agent, and nothing is
 *       deleted.</li>
 *   <li>A file written by a newer format version is refused, not overwritten.</li>
 *   <li>{@code memo.json} and {@code memo.lock} are opened as {@link RegularFile} says: never through
 *       a link, only regular files, the memo at most {@link #MAX_BYTES}; anything else is a clear
 *       {@link MemoException}, and nothing is created elsewhere. The first update sweeps the temporary
 *       files a killed writer left ({@link AtomicFile#sweep}).</li>
 * </ul>
 */
public final class JsonMemoStore implements MemoStore {

    private static final Logger log = LoggerFactory.getLogger(JsonMemoStore.class);
    /** The largest memo read or written: far more than years of history of a few hundred servers take. */
    public static final int MAX_BYTES = 16 << 20;
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path directory;
    private final Path file;
    private final Path lockFile;
    private final Duration lockTimeout;
    private final TimeSource time;
    private boolean swept;

    /** A store in {@code directory}, waiting up to 10 s for another agent's lock. */
    public JsonMemoStore(Path directory) {
        this(directory, Duration.ofSeconds(10));
    }

    /** A store in {@code directory}, waiting up to {@code lockTimeout} for another agent's lock. */
    public JsonMemoStore(Path directory, Duration lockTimeout) {
        this(directory, lockTimeout, TimeSource.system());
    }

    /** A store in {@code directory} on the given clock (for the lock wait). */
    public JsonMemoStore(Path directory, Duration lockTimeout, TimeSource time) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        this.file = this.directory.resolve("memo.json");
        this.lockFile = this.directory.resolve("memo.lock");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
        this.time = Objects.requireNonNull(time, "time");
    }

    /** The memo file. */
    public Path file() {
        return file;
    }

    @Override
    public Memo load() throws MemoException {
        byte[] bytes;
        try {
            bytes = RegularFile.read(file, MAX_BYTES);
        } catch (NoSuchFileException e) {
            return Memo.EMPTY;
        } catch (IOException e) {
            throw new MemoException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Memo memo;
        try {
            memo = MemoJson.read(new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            setAside(e);
            return Memo.EMPTY;
        }
        if (memo.version() > Memo.CURRENT_VERSION) {
            throw new MemoException(file + " was written by a newer TimeSync (format " + memo.version()
                    + ", this one reads up to " + Memo.CURRENT_VERSION + "): upgrade, or use another --state-dir", null);
        }
        return memo;
    }

    @Override
    public Memo update(UnaryOperator<Memo> change) throws MemoException {
        ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile, p -> new ReentrantLock());
        try {
            if (!local.tryLock(lockTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new MemoException("timed out after " + DurationText.of(lockTimeout) + " waiting for " + lockFile, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemoException("interrupted while waiting for " + lockFile, e);
        }
        try {
            createDirectory();
            try (FileChannel channel = RegularFile.openForLock(lockFile);
                 FileLock lock = acquire(channel)) {
                if (!swept) {
                    // Under the lock no other writer is mid-write, and a killed one's files go once per store.
                    AtomicFile.sweep(file);
                    swept = true;
                }
                Memo updated = Objects.requireNonNull(change.apply(load()), "the change returned null");
                Memo versioned = new Memo(Memo.CURRENT_VERSION, updated.lastSkewNanos(), updated.lastSkewAtUnixNanos(),
                        updated.lastCorrectionNanos(), updated.lastCorrectionAtUnixNanos(), updated.selection(), updated.servers(),
                        updated.lastDecision());
                write(versioned);
                return versioned;
            } catch (IOException e) {
                throw new MemoException("cannot write " + file + ": " + e.getMessage(), e);
            }
        } finally {
            local.unlock();
        }
    }

    /** The lock file another agent holds while it updates the memo. */
    public Path lockFile() {
        return lockFile;
    }

    /**
     * Whether another TimeSync holds the memo's lock right now (an agent running, or a run stuck in
     * its update). Asks for a shared lock and lets it go at once, so it needs only read access, creates
     * nothing and never waits.
     *
     * @throws IOException when the lock file exists but cannot be opened
     */
    public boolean lockedByAnother() throws IOException {
        if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        RegularFile.requireRegular(lockFile, true);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // This JVM holds it: another thread of this process is updating the memo.
            return true;
        }
    }

    private FileLock acquire(FileChannel channel) throws IOException, MemoException {
        long deadline = time.monotonicNanos() + lockTimeout.toNanos();
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (time.monotonicNanos() - deadline >= 0) {
                throw new MemoException("another TimeSync holds " + lockFile + " (waited " + lockTimeout.toMillis()
                        + " ms); is an agent already running?", null);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MemoException("interrupted while waiting for " + lockFile, e);
            }
        }
    }

    private void createDirectory() throws MemoException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new MemoException("cannot create the state directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private void write(Memo memo) throws IOException {
        byte[] bytes = MemoJson.write(memo).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            // It could not be read back: the old memo stays, and the agent keeps this one in memory.
            throw new IOException("the memo would be " + bytes.length + " bytes, more than the " + MAX_BYTES
                    + " a memo may be");
        }
        AtomicFile.write(file, bytes);
    }

    private void setAside(RuntimeException why) throws MemoException {
        String what = why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage().lines().findFirst().orElse("");
        Path aside = directory.resolve("memo.json.corrupt");
        for (int i = 1; Files.exists(aside); i++) {
            aside = directory.resolve("memo.json.corrupt." + i);
        }
        try {
            Files.move(file, aside);
        } catch (IOException e) {
            throw new MemoException(file + " is unreadable (" + what + ") and cannot be moved aside: "
                    + e.getMessage(), e);
        }
        log.warn("{} was unreadable ({}); moved it to {} and started from an empty memo", file, what, aside);
    }
}
