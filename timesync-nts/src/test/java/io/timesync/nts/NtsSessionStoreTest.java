package io.timesync.nts;

import io.timesync.testing.Fifo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The sessions file is state like the memo: no links, no special files, no giant files; a killed writer's files go. */
class NtsSessionStoreTest {

    @TempDir
    Path dir;

    @Test
    void aLinkToAnEndlessDeviceIsIgnoredWithoutReadingIt() throws Exception {
        Path file = Files.createSymbolicLink(dir.resolve("nts-sessions.json"), Path.of("/dev/zero"));
        assertThat(new NtsSessionStore(file).load()).isEmpty();
    }

    @Test
    void aFifoIsIgnoredWithoutHanging() throws Exception {
        Path file = Fifo.make(dir.resolve("nts-sessions.json"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(new NtsSessionStore(file).load()).isEmpty());
    }

    @Test
    void aFileOfMoreThanAMegabyteIsIgnored() throws Exception {
        Path file = dir.resolve("nts-sessions.json");
        try (RandomAccessFile huge = new RandomAccessFile(file.toFile(), "rw")) {
            huge.setLength(2L << 20);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(new NtsSessionStore(file).load()).isEmpty();
    }

    @Test
    void savingSweepsTheTemporaryFilesOfAKilledWriter() throws Exception {
        Path dead = Files.writeString(dir.resolve(".nts-sessions.json.5g6h7j.tmp"), "keys of a killed writer");
        NtsSessionStore store = new NtsSessionStore(dir.resolve("nts-sessions.json"));

        store.save(List.of());

        assertThat(dead).doesNotExist();
        assertThat(store.load()).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
    }
}
