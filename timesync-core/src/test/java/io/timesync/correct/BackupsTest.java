package io.timesync.correct;

import io.timesync.api.TimeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

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
}
