package io.timesync.app;

import io.timesync.files.AtomicFile;
import io.timesync.files.LockFile;
import io.timesync.unix.host.RootPath;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the state (and the telemetry log) lives: the option, else the configuration's, else the
 * platform's default for this process: machine-wide when it may change the system (root; on Windows
 * SYSTEM or an elevated Administrator, so that the elevated prompt and the scheduled task share one
 * memo and one status.log), the user's own otherwise.
 */
public final class StateDirectory {

    private StateDirectory() {
    }

    /** The state directory: {@code option}, else {@code configured}, else the platform's default for this process. */
    public static Path resolve(Machine machine, Path option, Path configured) throws InterruptedException {
        if (option != null) {
            return option;
        }
        if (configured != null) {
            return configured;
        }
        return machine.platform().stateDirectory(machineWide(machine), machine.env(), machine.userHome());
    }

    /** The telemetry log's directory: the option, else the platform's default for this process. */
    public static Path logs(Machine machine, Path option) throws InterruptedException {
        if (option != null) {
            return option;
        }
        return machine.platform().logDirectory(machineWide(machine), machine.env(), machine.userHome());
    }

    /** Whether this process uses the machine-wide directories. */
    public static boolean machineWide(Machine machine) throws InterruptedException {
        return machine.platform().privileged(machine.userName(), machine.runner());
    }

    /** The lock a daemon holds on its state directory for its whole life. */
    public static final String DAEMON_LOCK = "daemon.lock";

    /**
     * Where a daemon locks the configuration of {@code service} under {@code root}: in the machine-wide
     * state directory of that system (beside the backups of that configuration), whichever state
     * directory the daemon keeps its memo in, so two daemons with different state directories still
     * cannot both manage one configuration.
     */
    public static Path configurationLock(Machine machine, Path root, String service) {
        Path machineWide = machine.platform().stateDirectory(true, machine.env(), machine.userHome());
        Path directory = RootPath.isRealSystem(root) ? machineWide : RootPath.under(root, machineWide.toString());
        return directory.resolve(service + ".lock");
    }

    /** What a lock holder writes about itself: this process's id and start time, and what it is. */
    public static String holder(String what) {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElseGet(Instant::now);
        return "pid " + self.pid() + ", started " + started + " (" + what + ")";
    }

    /**
     * Takes the daemon's locks: on {@code state} (its memo and sessions), then on the configuration it
     * manages (when {@code configuration} is not null); then sweeps the temporary files a killed writer
     * left in the state directory.
     *
     * @throws LockFile.HeldException when another daemon holds one; nothing is held then
     */
    public static List<LockFile> lockForDaemon(Path state, Path configuration, String what, String... stateFiles)
            throws IOException {
        List<LockFile> held = new ArrayList<>();
        try {
            held.add(LockFile.acquire(state.resolve(DAEMON_LOCK), what));
            if (configuration != null) {
                held.add(LockFile.acquire(configuration, what));
            }
            for (String file : stateFiles) {
                AtomicFile.sweep(state.resolve(file));
            }
            return held;
        } catch (IOException | RuntimeException e) {
            for (LockFile lock : held) {
                lock.close();
            }
            throw e;
        }
    }
}
