package io.timesync.files;

import io.timesync.testing.Fifo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class RegularFileTest {

    @TempDir
    Path dir;

    @Test
    void readsARegularFileWithinItsCap() throws Exception {
        Path file = dir.resolve("memo.json");
        Files.writeString(file, "{}");
        assertThat(RegularFile.read(file, 2)).containsExactly('{', '}');
        assertThatThrownBy(() -> RegularFile.read(dir.resolve("none"), 2)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aLinkToAnEndlessDeviceIsRefusedWithoutReadingIt() throws Exception {
        Path file = Files.createSymbolicLink(dir.resolve("memo.json"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> RegularFile.read(file, 1 << 20)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("memo.json").hasMessageContaining("symbolic link");
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = Fifo.make(dir.resolve("memo.json"));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThatThrownBy(() -> RegularFile.read(fifo, 1 << 20)).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("FIFO");
            assertThatThrownBy(() -> RegularFile.openForLock(fifo)).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("FIFO");
        });
    }

    @Test
    void aFileOverTheCapIsRefusedWithoutReadingIt() throws Exception {
        Path file = dir.resolve("memo.json");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(64L << 20);
        }
        assertThatThrownBy(() -> RegularFile.read(file, 16 << 20)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("larger than 16777216 bytes");
    }

    @Test
    void aLockFileThatIsALinkIsNotFollowedAndNothingIsCreatedWhereItPoints() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere")).resolve("created-by-root");
        Path lock = Files.createSymbolicLink(dir.resolve("memo.lock"), elsewhere);

        assertThatThrownBy(() -> RegularFile.openForLock(lock)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("symbolic link");
        assertThat(elsewhere).doesNotExist();
    }

    @Test
    void aMissingLockFileIsCreated() throws Exception {
        Path lock = dir.resolve("memo.lock");
        try (FileChannel channel = RegularFile.openForLock(lock)) {
            assertThat(channel.tryLock()).isNotNull();
        }
        assertThat(lock).isRegularFile();
    }
}
