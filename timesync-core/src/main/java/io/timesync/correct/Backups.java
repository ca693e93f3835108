package io.timesync.correct;

import io.timesync.time.TimeSource;
import io.timesync.files.AtomicFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.timesync.files.RawText;
import io.timesync.text.SmallJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Timestamped copies of a file TimeSync changes, and the journal of the changes that were applied. A
 * file that did not exist is backed up as a marker, so restoring it removes the file again.
 *
 * <p>The journal ({@value #JOURNAL} in the directory, one JSON object a line, shared by every file
 * backed up there) records each applied change: the file, the service, the time, and the copies of
 * what it replaced and of what it wrote. A change is journaled only once it was applied and verified
 * ({@link #begin}, then {@link #commit} or {@link #discard}), so a failed one never adds anything to
 * roll back to, and never displaces the configuration from before the last applied change. The newest
 * {@code keep} changes of a file are kept.
 */
public final class Backups {

    /** The journal's name in the backup directory. */
    public static final String JOURNAL = "journal.jsonl";

    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    // Fixed-width UTC times: name order is time order.
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern TIME = Pattern.compile("\\d{8}T\\d{6}\\.\\d{9}Z");
    private static final String ABSENT = "# timesync: no file existed before\n";
    private static final String WRITTEN = ".written";
    private static final String BEFORE_ROLLBACK = ".before-rollback";

    private final Path file;
    private final Path directory;
    private final TimeSource time;
    private final int keep;

    /**
     * One applied change of a file.
     *
     * @param time     when it was made
     * @param service  the time service it was made for
     * @param file     the file changed
     * @param previous the copy of what it replaced
     * @param written  the copy of what it wrote
     */
    public record Change(Instant time, String service, Path file, Path previous, Path written) {

        /** What the change replaced, or null when the file did not exist. */
        public String previousContent() throws IOException {
            return content(previous);
        }

        /** What the change wrote, or null when it removed the file. */
        public String writtenContent() throws IOException {
            return content(written);
        }
    }

    /**
     * The copies of a change being made, on disk before the change so a crash cannot lose what it
     * replaces; not part of the journal until {@link #commit}.
     *
     * @param time     when the change began
     * @param previous the copy of what it replaces
     * @param written  the copy of what it writes
     */
    public record Pending(Instant time, Path previous, Path written) {
    }

    /**
     * @param file      the file backed up
     * @param directory where the copies and the journal go
     * @param time      the clock for the names and the journal
     * @param keep      how many copies (and changes) to keep, at least 1
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

    /** The file backed up. */
    public Path file() {
        return file;
    }

    /** Where the copies and the journal go. */
    public Path directory() {
        return directory;
    }

    /** Saves {@code content} (null: the file did not exist) as the newest copy and drops the oldest beyond the limit. */
    public Path save(String content) throws IOException {
        Path copy = copy(now(), "", content);
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i));
        }
        return copy;
    }

    /** The copies (of what changes replaced), oldest first. */
    public List<Path> list() throws IOException {
        return copies("");
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
        restore(content(copy));
    }

    /**
     * Saves what a change is about to replace ({@code previous}, null: no file) and what it will
     * write ({@code written}, null: it removes the file), before the change.
     */
    public Pending begin(String previous, String written) throws IOException {
        Instant at = now();
        Path previousCopy = copy(at, "", previous);
        try {
            return new Pending(at, previousCopy, copy(at, WRITTEN, written));
        } catch (IOException e) {
            Files.deleteIfExists(previousCopy);
            throw e;
        }
    }

    /**
     * Journals a change that was applied and verified, and drops this file's oldest changes beyond
     * the limit with their copies.
     *
     * @param service the time service it was made for
     */
    public Change commit(Pending pending, String service) throws IOException {
        Change change = new Change(pending.time(), Objects.requireNonNull(service, "service"), file.toAbsolutePath(), pending.previous(),
                pending.written());
        List<Change> all;
        List<Change> dropped;
        try {
            all = new ArrayList<>(journal());
            all.add(change);
            List<Change> mine = all.stream().filter(this::ofThisFile).toList();
            dropped = mine.subList(0, Math.max(0, mine.size() - keep));
            all.removeAll(dropped);
            writeJournal(all);
        } catch (IOException e) {
            throw new IOException("cannot record the change in " + directory.resolve(JOURNAL) + ": " + e.getMessage(), e);
        }
        for (Change old : dropped) {
            deleteCopies(old);
        }
        pruneUnreferenced(all);
        return change;
    }

    /** Forgets a change that failed: it leaves nothing to roll back to. */
    public void discard(Pending pending) {
        for (Path copy : List.of(pending.previous(), pending.written())) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                log.warn("cannot remove {}: {}", copy, e.toString());
            }
        }
    }

    /** The last applied change of this file that was not rolled back, if any. */
    public Optional<Change> last() throws IOException {
        List<Change> mine = journal().stream().filter(this::ofThisFile).toList();
        return mine.isEmpty() ? Optional.empty() : Optional.of(mine.get(mine.size() - 1));
    }

    /**
     * Takes a change that was rolled back out of the journal, so the next rollback goes one change
     * further back. Its copies stay until later changes prune them.
     */
    public void rolledBack(Change change) throws IOException {
        List<Change> all = new ArrayList<>(journal());
        all.removeIf(c -> c.equals(change));
        writeJournal(all);
    }

    /**
     * Saves the file's content as a rollback is about to replace it (null: no file), so the rollback
     * can be undone by hand; the newest {@code keep} such copies are kept.
     */
    public Path saveBeforeRollback(String current) throws IOException {
        Path copy = copy(now(), BEFORE_ROLLBACK, current);
        List<Path> all = copies(BEFORE_ROLLBACK);
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i));
        }
        return copy;
    }

    /** The changes in the journal, oldest first; a line that cannot be read is skipped with a warning. */
    public List<Change> journal() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(directory.resolve(JOURNAL), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Change> changes = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Map<?, ?> fields = SmallJson.parseObject(line);
                changes.add(new Change(Instant.parse(text(fields, "time")), text(fields, "service"),
                        Path.of(text(fields, "file")), directory.resolve(text(fields, "previous")),
                        directory.resolve(text(fields, "written"))));
            } catch (RuntimeException e) {
                log.warn("skipping an unreadable line of {}: {}", directory.resolve(JOURNAL), e.toString());
            }
        }
        return changes;
    }

    private boolean ofThisFile(Change change) {
        return change.file().equals(file.toAbsolutePath());
    }

    private void writeJournal(List<Change> changes) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Change c : changes) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("time", c.time().toString());
            fields.put("service", c.service());
            fields.put("file", c.file().toAbsolutePath().toString());
            fields.put("previous", c.previous().getFileName().toString());
            fields.put("written", c.written().getFileName().toString());
            text.append(SmallJson.write(fields)).append('\n');
        }
        AtomicFile.write(directory.resolve(JOURNAL), text.toString().getBytes(StandardCharsets.UTF_8), AtomicFile.OWNER_ONLY);
    }

    private static String text(Map<?, ?> fields, String name) {
        Object value = fields.get(name);
        if (!(value instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("no " + name);
        }
        return s;
    }

    // Copies no change refers to (a rolled-back change's, or a crashed run's): the newest kept.
    private void pruneUnreferenced(List<Change> journal) throws IOException {
        List<Path> referenced = new ArrayList<>();
        for (Change c : journal) {
            referenced.add(c.previous());
            referenced.add(c.written());
        }
        for (String suffix : List.of("", WRITTEN)) {
            List<Path> loose = new ArrayList<>(copies(suffix));
            loose.removeAll(referenced);
            for (int i = 0; i < loose.size() - keep; i++) {
                Files.deleteIfExists(loose.get(i));
            }
        }
    }

    private static void deleteCopies(Change change) throws IOException {
        Files.deleteIfExists(change.previous());
        Files.deleteIfExists(change.written());
    }

    private Instant now() {
        return Instant.ofEpochSecond(0, time.wallClockNanos());
    }

    private Path copy(Instant at, String suffix, String content) throws IOException {
        Files.createDirectories(directory);
        Path copy = directory.resolve(file.getFileName() + "." + NAME_TIME.format(at) + suffix);
        AtomicFile.write(copy, RawText.bytes(content == null ? ABSENT : content));
        return copy;
    }

    // This file's copies with the suffix, oldest first.
    private List<Path> copies(String suffix) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        Pattern name = Pattern.compile(Pattern.quote(file.getFileName() + ".") + TIME.pattern() + Pattern.quote(suffix));
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> name.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    private static String content(Path copy) throws IOException {
        String content = RawText.decode(Files.readAllBytes(copy));
        return content.equals(ABSENT) ? null : content;
    }
}
