package io.timesync.files;

import io.timesync.testing.LockHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void aNewFileIsReadableByAllAsConfigurationMustBe() throws IOException {
        Path file = dir.resolve("sources.d/timesync.sources");
        AtomicFile.write(file, "server a\n".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("server a");
        // A time service running as its own user (_chrony, systemd-timesync) must be able to read it.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    }

    @Test
    void aReplacedFileKeepsItsModeWhateverItWas() throws IOException {
        Path file = dir.resolve("ntp.conf");
        Files.writeString(file, "old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));

        AtomicFile.write(file, "new\n".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw-r--");
        assertThat(Files.getOwner(file)).isEqualTo(Files.getOwner(dir));
    }

    @Test
    void anExplicitModeWinsOverTheOldOne() throws IOException {
        Path file = dir.resolve("nts-sessions.json");
        Files.writeString(file, "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        AtomicFile.write(file, "{\"keys\":1}".getBytes(StandardCharsets.UTF_8), AtomicFile.OWNER_ONLY);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void noTemporaryFileIsLeftBehind() throws IOException {
        Path file = dir.resolve("state.json");
        AtomicFile.write(file, "1".getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(file, "2".getBytes(StandardCharsets.UTF_8));

        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void aSweepDeletesOnlyTheTemporaryFilesNoWriterHolds() throws Exception {
        Path target = dir.resolve("memo.json");
        Path killed = Files.writeString(dir.resolve(".memo.json.1x2y3z.tmp"), "half");
        Path live = dir.resolve(".memo.json.4a5b6c.tmp");
        Path elsewhere = Files.writeString(Files.createDirectory(dir.resolve("elsewhere")).resolve("keep"), "keep");
        Path link = Files.createSymbolicLink(dir.resolve(".memo.json.7d8e9f.tmp"), elsewhere);
        Path other = Files.writeString(dir.resolve(".other.json.1x2y3z.tmp"), "not ours");

        try (LockHolder writer = LockHolder.hold(live, Files.createDirectory(dir.resolve("scratch")))) {
            assertThat(AtomicFile.sweep(target)).isEqualTo(1);

            assertThat(killed).doesNotExist();
            assertThat(live).exists();
        }
        assertThat(link).isSymbolicLink();
        assertThat(elsewhere).hasContent("keep");
        assertThat(other).exists();
        assertThat(AtomicFile.sweep(target)).isEqualTo(1);
        assertThat(live).doesNotExist();
    }
}
