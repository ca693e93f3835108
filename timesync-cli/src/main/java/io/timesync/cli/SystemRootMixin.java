package io.timesync.cli;

import io.timesync.app.Machine;
import io.timesync.platform.Platform;
import io.timesync.unix.host.OutsideRootException;
import io.timesync.unix.host.RootPath;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;

/** {@code --root DIR}: the system a command looks at or changes, and whether changing it needs privileges we lack. */
final class SystemRootMixin {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "Root of the system to look at or change (default /): paths such as /etc/chrony are taken under it.")
    Path root;

    /** Whether changing the system needs root and this process is not root (a copy under another root needs none). */
    boolean lacksPrivilege() {
        Machine machine = TimeSyncCommand.machineOf(spec);
        Platform platform = machine.platform();
        return RootPath.isRealSystem(root) && platform.knowsPrivilege() && !platform.privileged(machine.userName());
    }

    /**
     * The exit code for a time service that cannot be used under the root: 64 when a path of its
     * configuration leads outside the root (the configuration or {@code --root} must change), else 69.
     */
    static int exitCode(IOException e) {
        return e instanceof OutsideRootException ? ExitCode.USAGE : ExitCode.NO_SERVER;
    }
}
