package io.timesync.correct;

import io.timesync.time.TimeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class BackupsTest {

    @TempDir
    Path dir;

    /** A wall clock the test moves by hand, one second per read. */
    private final AtomicLong now = new AtomicLong(1_795_300_000_000_000_000L);
    private final TimeSource clock = new TimeSource() {
        @Override
        public long wallClockNanos() {
            return now.addAndGet(1_000_000_000L);
        }

        @Override
        public long monotonicNanos() {
            throw new AssertionError("backups must not read the monotonic clock");
        }
    };

    @Test
    void keepsTheNewestCopiesInTimeOrder() throws Exception {
        Path file = dir.resolve("ntp.conf");
        Backups backups = new Backups(file, dir.resolve("b"), clock, 2);
        backups.save("one");
        backups.save("two");
        Path third = backups.save("three");
        assertThat(backups.list()).hasSize(2);
        assertThat(backups.newest()).contains(third);
        assertThat(backups.list().get(0)).hasContent("two");
        assertThat(third.getFileName().toString()).startsWith("ntp.conf.20").endsWith("Z");
    }

    @Test
    void aFileThatDidNotExistIsRemovedOnRestore() throws Exception {
        Path file = dir.resolve("timesync.sources");
        Backups backups = new Backups(file, dir.resolve("b"), clock, 3);
        Path copy = backups.save(null);
        Files.writeString(file, "server a iburst\n");
        backups.restoreFrom(copy);
        assertThat(file).doesNotExist();
        backups.restore("server b iburst\n");
        assertThat(file).hasContent("server b iburst\n");
        assertThat(new Backups(file, dir.resolve("none"), clock, 1).newest()).isEmpty();
    }

    @Test
    void aChangeIsJournaledOnlyOnceCommittedAndAFailedOneLeavesNothing() throws Exception {
        Path file = dir.resolve("timesync.sources");
        Backups backups = new Backups(file, dir.resolve("b"), clock, 3);
        Backups.Pending first = backups.begin(null, "server a iburst\n");
        assertThat(backups.last()).isEmpty();
        Backups.Change applied = backups.commit(first, "chrony");
        assertThat(backups.last()).contains(applied);
        assertThat(applied.file()).isEqualTo(file.toAbsolutePath());
        assertThat(applied.previousContent()).isNull();
        assertThat(applied.writtenContent()).isEqualTo("server a iburst\n");
        for (int i = 0; i < 10; i++) {
            backups.discard(backups.begin("server a iburst\n", "server c" + i + " iburst\n"));
        }
        assertThat(backups.journal()).containsExactly(applied);
        try (Stream<Path> left = Files.list(dir.resolve("b"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(Backups.JOURNAL,
                    applied.previous().getFileName().toString(), applied.written().getFileName().toString());
        }
    }

    @Test
    void theNewestChangesOfEachFileAreKeptAndARolledBackOneLeavesTheJournal() throws Exception {
        Path file = dir.resolve("chrony.conf");
        Backups backups = new Backups(file, dir.resolve("b"), clock, 2);
        Backups other = new Backups(dir.resolve("ntp.conf"), dir.resolve("b"), clock, 2);
        Backups.Change elsewhere = other.commit(other.begin("x\n", "y\n"), "ntpsec");
        backups.commit(backups.begin("one\n", "two\n"), "chrony");
        Backups.Change second = backups.commit(backups.begin("two\n", "three\n"), "chrony");
        Backups.Change third = backups.commit(backups.begin("three\n", "four\n"), "chrony");
        assertThat(backups.journal()).containsExactly(elsewhere, second, third);
        backups.rolledBack(third);
        assertThat(backups.last()).contains(second);
        assertThat(second.previousContent()).isEqualTo("two\n");
        assertThat(other.last()).contains(elsewhere);
        Path saved = backups.saveBeforeRollback("three\n");
        assertThat(saved.getFileName().toString()).startsWith("chrony.conf.").endsWith(".before-rollback");
        assertThat(saved).hasContent("three\n");
    }

    @Test
    void anUnreadableJournalLineIsSkipped() throws Exception {
        Path file = dir.resolve("chrony.conf");
        Backups backups = new Backups(file, dir.resolve("b"), clock, 2);
        Backups.Change change = backups.commit(backups.begin("one\n", "two\n"), "chrony");
        Files.writeString(dir.resolve("b").resolve(Backups.JOURNAL), "{not json\n{\"time\":\"x\"}\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(backups.journal()).containsExactly(change);
    }
}
