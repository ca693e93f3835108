package io.timesync.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM holding an exclusive lock on a file, the same kind of lock (fcntl on Linux) that a
 * second agent takes on the memo. Started when the lock is held; {@link #close()} ends it.
 */
public final class LockHolder implements AutoCloseable {

    private final Process process;

    private LockHolder(Process process) {
        this.process = process;
    }

    /** Starts a JVM that locks {@code file} (creating it) and holds it for at most 30 s; {@code scratch} receives its source. */
    public static LockHolder hold(Path file, Path scratch) throws IOException {
        Path source = scratch.resolve("Holder.java");
        Files.writeString(source, String.join("\n",
                "import java.nio.channels.FileChannel;",
                "import java.nio.file.*;",
                "public class Holder { public static void main(String[] a) throws Exception {",
                "  try (FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);",
                "       var lock = c.lock()) { System.out.println(\"locked\"); System.out.flush(); Thread.sleep(30000); } } }"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, source.toString(), file.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"locked".equals(line)) {
            holder.destroyForcibly();
            throw new IllegalStateException("the lock holder did not start: " + line);
        }
        return new LockHolder(holder);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
