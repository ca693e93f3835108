package io.timesync.files;

import io.timesync.testing.Fifo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class LockFileTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsToldWhoHoldsTheLock() throws Exception {
        Path file = dir.resolve("state/daemon.lock");
        try (LockFile first = LockFile.acquire(file, "pid 4242, started 2026-12-04T10:00:00Z (daemon)")) {
            assertThat(file).hasContent("pid 4242, started 2026-12-04T10:00:00Z (daemon)");

            assertThatThrownBy(() -> LockFile.acquire(file, "pid 5353")).isInstanceOfSatisfying(LockFile.HeldException.class,
                    e -> {
                        assertThat(e.holder()).isEqualTo("pid 4242, started 2026-12-04T10:00:00Z (daemon)");
                        assertThat(e.file()).isEqualTo(file);
                    });
        }
        try (LockFile next = LockFile.acquire(file, "pid 5353")) {
            assertThat(file).hasContent("pid 5353");
        }
    }

    @Test
    void anotherProcessHoldingItIsNamedAsItWroteItselfDown() throws Exception {
        Path file = dir.resolve("daemon.lock");
        Path source = Files.writeString(dir.resolve("Holder.java"), String.join("\n",
                "import java.nio.channels.FileChannel;",
                "import java.nio.ByteBuffer;",
                "import java.nio.file.*;",
                "public class Holder { public static void main(String[] a) throws Exception {",
                "  try (FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);",
                "       var lock = c.lock()) {",
                "    c.write(ByteBuffer.wrap((\"pid \" + ProcessHandle.current().pid() + \"\\u001b[31m\\nforged\").getBytes()));",
                "    System.out.println(ProcessHandle.current().pid()); System.out.flush(); Thread.sleep(30000); } } }"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, source.toString(), file.toString()).redirectErrorStream(true).start();
        try {
            String pid = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();

            assertThatThrownBy(() -> LockFile.acquire(file, "me")).isInstanceOfSatisfying(LockFile.HeldException.class,
                    e -> assertThat(e.holder()).isEqualTo("pid " + pid + "\\x1b[31m"));
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLinkOrAFifoIsNeverALockFile() throws Exception {
        Path target = dir.resolve("elsewhere");
        Path link = Files.createSymbolicLink(dir.resolve("daemon.lock"), target);
        Path fifo = Fifo.make(dir.resolve("chrony.lock"));

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThatThrownBy(() -> LockFile.acquire(link, "me")).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("symbolic link");
            assertThatThrownBy(() -> LockFile.acquire(fifo, "me")).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("FIFO");
        });
        assertThat(target).doesNotExist();
    }
}
