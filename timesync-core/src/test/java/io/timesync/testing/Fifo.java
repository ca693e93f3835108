package io.timesync.testing;

import java.io.IOException;
import java.nio.file.Path;

/** A named pipe made by the real {@code mkfifo}: opening one for reading blocks until someone writes. */
public final class Fifo {

    private Fifo() {
    }

    /** Makes a FIFO at {@code path}. */
    public static Path make(Path path) throws IOException, InterruptedException {
        Path mkfifo = RequiredTool.find("TIMESYNC_MKFIFO", "mkfifo", "install coreutils");
        Process p = new ProcessBuilder(mkfifo.toString(), path.toString()).redirectErrorStream(true).start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
        return path;
    }
}
