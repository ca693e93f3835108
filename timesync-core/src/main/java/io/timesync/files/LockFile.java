package io.timesync.files;

import io.timesync.text.Printable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An exclusive lock on a file, held until {@link #close()}, that says who holds it: the holder writes
 * a line about itself (its process id and start time) into the file, and whoever finds the file
 * locked reads that line into {@link HeldException}. A daemon holds one on its state directory and
 * one on the configuration it manages for its whole life, so a second daemon stops at once instead
 * of fighting the first over the same files.
 *
 * <p>The lock is the operating system's ({@code fcntl} on Linux): it ends with the process, however
 * that ends, so a stale file never blocks anyone and is never deleted. The file is opened as
 * {@link RegularFile#openForLock} does: never through a link, only a regular file.
 */
public final class LockFile implements AutoCloseable {

    // A holder's line is short; a larger file is not one of ours, and only its start is shown.
    private static final int HOLDER_BYTES = 512;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private LockFile(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process (or another part of this one) holds the lock. */
    public static final class HeldException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Path file;
        private final String holder;

        HeldException(Path file, String holder) {
            super(file + " is locked by " + holder);
            this.file = file;
            this.holder = holder;
        }

        /** The lock file. */
        public Path file() {
            return file;
        }

        /** What the holder wrote about itself (escaped), or a note that it wrote nothing. */
        public String holder() {
            return holder;
        }
    }

    /**
     * Takes the lock on {@code file} without waiting, creating the file (and its directory) when
     * missing, and writes {@code holder} into it.
     *
     * @param holder one line about this process, e.g. {@code pid 4242, started 2026-12-04T10:00:00Z}
     * @throws HeldException when someone else holds it, naming them as they wrote themselves down
     * @throws IOException   when the file is a link or not a regular file, or cannot be created
     */
    public static LockFile acquire(Path file, String holder) throws IOException {
        Objects.requireNonNull(holder, "holder");
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel channel = RegularFile.openForLock(file);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new HeldException(file, holderOf(channel));
            }
            channel.truncate(0);
            ByteBuffer line = ByteBuffer.wrap((Printable.of(holder) + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                channel.write(line, line.position());
            }
            channel.force(false);
            return new LockFile(file, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static String holderOf(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(HOLDER_BYTES);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // reads until full or at the end
        }
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        String first = text.lines().findFirst().orElse("");
        return first.isEmpty() ? "another process that did not say which" : Printable.of(first);
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Lets the lock go; the file stays (deleting it would race with the next holder). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
