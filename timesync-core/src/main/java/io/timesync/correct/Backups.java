package io.timesync.correct;

import io.timesync.api.TimeSource;
import io.timesync.files.AtomicFile;
import io.timesync.files.RawText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Timestamped copies of a file TimeSync is about to change, the newest {@code keep} kept. A file
 * that did not exist is backed up as a marker, so restoring it removes the file again.
 */
public final class Backups {

    // Fixed-width UTC times: name order is time order.
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ABSENT = "# timesync: no file existed before\n";

    private final Path file;
    private final Path directory;
    private final TimeSource time;
    private final int keep;

    /**
     * @param file      the file backed up
     * @param directory where the copies go
     * @param time      the clock for the names
     * @param keep      how many copies to keep, at least 1
     */
    public Backups(Path file, Path directory, TimeSource time, int keep) {
        this.file = Objects.requireNonNull(file, "file");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.time = Objects.requireNonNull(time, "time");
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1");
        }
        this.keep = keep;
    }

    /** Saves {@code content} (null: the file did not exist) as the newest copy and drops the oldest beyond the limit. */
    public Path save(String content) throws IOException {
        Files.createDirectories(directory);
        Path copy = directory.resolve(file.getFileName() + "." + NAME_TIME.format(Instant.ofEpochSecond(0, time.wallClockNanos())));
        AtomicFile.write(copy, RawText.bytes(content == null ? ABSENT : content));
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i));
        }
        return copy;
    }

    /** The copies, oldest first. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        String prefix = file.getFileName() + ".";
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }

    /** The newest copy, if any. */
    public Optional<Path> newest() throws IOException {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Puts {@code content} (null: remove the file) back in place atomically. */
    public void restore(String content) throws IOException {
        if (content == null) {
            Files.deleteIfExists(file);
        } else {
            AtomicFile.write(file, RawText.bytes(content));
        }
    }

    /** Puts a copy back in place; a marker of absence removes the file. */
    public void restoreFrom(Path copy) throws IOException {
        String content = RawText.decode(Files.readAllBytes(copy));
        restore(content.equals(ABSENT) ? null : content);
    }
}
