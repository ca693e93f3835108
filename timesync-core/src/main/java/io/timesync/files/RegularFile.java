package io.timesync.files;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * Opens the files TimeSync keeps its state in (the memo, lock files, NTS sessions) as a root daemon
 * must: never through a symbolic link (a link planted in the state directory would make root read or
 * create a file elsewhere), only when it is a regular file (a FIFO would block the open, a device
 * like {@code /dev/zero} would never end), and never reading more than a cap. Each refusal is a
 * {@link FileSystemException} that names the file and says what it is.
 *
 * <p>The type is checked before the open, without following links, and the open itself refuses a
 * link ({@code O_NOFOLLOW}). A FIFO swapped in between the two would still block the open; only
 * someone who may write the state directory can do that, and such a directory is not TimeSync's.
 */
public final class RegularFile {

    private RegularFile() {
    }

    /**
     * The whole content of {@code file}.
     *
     * @param maxBytes the most it may hold
     * @throws NoSuchFileException when it does not exist
     * @throws FileSystemException when it is a link, not a regular file, or larger than {@code maxBytes}
     */
    public static byte[] read(Path file, int maxBytes) throws IOException {
        requireRegular(file, true);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (in.size() > maxBytes) {
                throw tooLarge(file, maxBytes);
            }
            // One byte more than allowed, so a file that grew since is caught too.
            byte[] content = Channels.newInputStream(in).readNBytes(maxBytes + 1);
            if (content.length > maxBytes) {
                throw tooLarge(file, maxBytes);
            }
            return content;
        }
    }

    /**
     * Opens {@code file} for locking: read and write, created when missing (with the mode of a new
     * {@link AtomicFile}), refused when it is a link or not a regular file.
     */
    public static FileChannel openForLock(Path file) throws IOException {
        requireRegular(file, false);
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        try {
            return FileChannel.open(file, options);
        } catch (FileSystemException e) {
            // O_NOFOLLOW's ELOOP: a link planted after the check.
            if (Files.isSymbolicLink(file)) {
                throw notRegular(file, "a symbolic link");
            }
            throw e;
        }
    }

    /**
     * Refuses {@code file} unless it is a regular file (links not followed).
     *
     * @param mustExist whether a missing file is an error ({@link NoSuchFileException}) or fine
     */
    public static void requireRegular(Path file, boolean mustExist) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            if (mustExist) {
                throw e;
            }
            return;
        }
        if (attributes.isSymbolicLink()) {
            throw notRegular(file, "a symbolic link");
        }
        if (attributes.isDirectory()) {
            throw notRegular(file, "a directory");
        }
        if (!attributes.isRegularFile()) {
            throw notRegular(file, "a FIFO, socket or device");
        }
    }

    private static FileSystemException notRegular(Path file, String what) {
        return new FileSystemException(file.toString(), null, "is " + what + ", not a regular file; TimeSync follows no"
                + " links and opens no special files in its state: remove it");
    }

    private static FileSystemException tooLarge(Path file, int maxBytes) {
        return new FileSystemException(file.toString(), null, "is larger than " + maxBytes + " bytes, more than TimeSync"
                + " ever writes there: move it away");
    }
}
