package io.timesync.cli;

import io.timesync.unix.RootPath;

import io.timesync.api.TimeSource;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.unix.chrony.ChronyConfig;
import io.timesync.unix.chrony.ChronyCorrector;
import io.timesync.unix.chrony.Chronyc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The chrony corrector of the system under a root prefix, as its chrony.conf describes it. */
final class ChronyService {

    /** Where TimeSync keeps backups of the files it replaces, on the target system. */
    static final String BACKUPS = "/var/lib/timesync/backups";

    private ChronyService() {
    }

    /**
     * The corrector for the chronyd under {@code root}.
     *
     * @throws IOException with what to do, when chrony is not installed there or has no usable sourcedir
     */
    static ChronyCorrector under(Path root) throws IOException {
        ChronyConfig config = ChronyConfig.find(root).orElseThrow(() -> new IOException(
                "no chrony configuration under " + root + " (looked for " + String.join(", ", ChronyConfig.LOCATIONS)
                        + "): install chrony, or choose --root"));
        Path dir = config.managedSourceDir(root).orElseThrow(() -> new IOException(config.file()
                + " has no persistent sourcedir: add 'sourcedir /etc/chrony/sources.d' to it (chrony 4) and restart chronyd"));
        Chronyc chronyc = new Chronyc(Path.of("chronyc"), config.commandSocket(), new ProcessCommandRunner(),
                Duration.ofSeconds(10));
        Path chronyd = Files.isExecutable(Path.of("/usr/sbin/chronyd")) ? Path.of("/usr/sbin/chronyd") : Path.of("chronyd");
        return new ChronyCorrector(dir.resolve("timesync.sources"), RootPath.under(root, BACKUPS), chronyd, chronyc,
                TimeSource.system(), Duration.ofSeconds(10), 10);
    }
}
