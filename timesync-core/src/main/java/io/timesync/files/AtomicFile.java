package io.timesync.files;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Replaces a file so that a crash leaves either the old content or the new, never a mix: a
 * temporary file in the same directory, forced to disk, renamed over the target, and the directory
 * forced too. The one way TimeSync writes the files it owns.
 *
 * <p>The temporary file ({@code .NAME.RANDOM.tmp} beside the target) is locked while it is written,
 * so that {@link #sweep} can delete those a killed writer left without touching a live writer's.
 * The temporary file gets its permissions (and, where the process may, owner and group) before
 * the rename, so the target never shows another mode, not even for an instant. A replaced file keeps
 * the mode, owner and group it had: a user's {@code ntp.conf} stays as readable as it was, and a
 * time service that runs as its own user ({@code _chrony}, {@code systemd-timesync}) can still read
 * what TimeSync wrote. A new file is {@code rw-r--r--}, as configuration files are, unless the caller
 * asks for another mode (secrets: {@link #OWNER_ONLY}).
 */
public final class AtomicFile {

    /** The mode of a new file: readable by all, as the time services' configuration must be. */
    public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    /** The mode of a file holding secrets: only its owner reads it. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static final Logger log = LoggerFactory.getLogger(AtomicFile.class);
    private static final String TEMP_PREFIX = ".";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {
    }

    /**
     * Writes {@code content} to {@code target}, creating its directory if needed; an existing target
     * keeps its mode, owner and group, a new one is {@link #READABLE}.
     */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, null);
    }

    /**
     * Writes {@code content} to {@code target} with exactly the mode {@code permissions}, whatever
     * the target had (on file systems without POSIX modes, the mode is not set).
     */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temp = directory.resolve(TEMP_PREFIX + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                + TEMP_SUFFIX);
        try {
            // Locked while it is written, so a sweep tells a live writer's file from a killed one's.
            try (FileChannel out = create(temp);
                 FileLock writing = out.lock()) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
                carryAttributes(target, temp, permissions);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(directory);
    }

    // Owner-only from the start: the content may be a secret, and the final mode is set before the rename.
    private static FileChannel create(Path temp) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(temp, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        return FileChannel.open(temp, options);
    }

    /**
     * Deletes the temporary files that writers of {@code target} killed mid-write left behind (a
     * {@code kill -9}, a crash, a power cut), and none that a live writer, in this process or
     * another, is still writing. Links and anything but regular files are left alone.
     *
     * @return how many were deleted
     */
    public static int sweep(Path target) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        String prefix = TEMP_PREFIX + target.getFileName() + ".";
        int deleted = 0;
        List<Path> temps;
        try (Stream<Path> entries = Files.list(directory)) {
            temps = entries.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX)
                        && name.length() > prefix.length() + TEMP_SUFFIX.length();
            }).toList();
        } catch (NoSuchFileException e) {
            return 0;
        }
        for (Path temp : temps) {
            if (!Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    continue;
                }
                try {
                    Files.deleteIfExists(temp);
                    deleted++;
                } finally {
                    lock.release();
                }
            } catch (NoSuchFileException e) {
                // Renamed or deleted by its writer meanwhile.
            }
        }
        if (deleted > 0) {
            log.info("deleted {} temporary file(s) of {} left by a writer that did not finish", deleted, target);
        }
        return deleted;
    }

    private static void carryAttributes(Path target, Path temp, Set<PosixFilePermission> permissions) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        PosixFileAttributes old = null;
        if (Files.exists(target)) {
            old = Files.readAttributes(target, PosixFileAttributes.class);
        }
        view.setPermissions(permissions != null ? permissions : old != null ? old.permissions() : READABLE);
        if (old != null) {
            keepOwnership(view, temp, old.owner(), old.group());
        }
    }

    // Root may give the new file the old one's owner and group; anyone else keeps their own, which
    // is then the old file's too unless it was another user's (then it is logged, not fatal).
    private static void keepOwnership(PosixFileAttributeView view, Path temp, UserPrincipal owner, GroupPrincipal group) {
        try {
            PosixFileAttributes now = Files.readAttributes(temp, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!now.group().equals(group)) {
                view.setGroup(group);
            }
            if (!now.owner().equals(owner)) {
                view.setOwner(owner);
            }
        } catch (IOException e) {
            log.debug("cannot give {} the owner {} and group {} of the file it replaces: {}", temp, owner, group, e.toString());
        }
    }

    private static void forceDirectory(Path directory) {
        // Makes the rename durable on Linux; other systems may not open directories, which is fine.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot force directory {}: {}", directory, e.toString());
        }
    }
}
