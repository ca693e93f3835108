package io.timesync.cli;

import io.timesync.correct.CorrectionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code timesync rollback}: puts back the previous version of TimeSync's sources file and reloads the service. */
@Command(name = "rollback",
        mixinStandardHelpOptions = true,
        description = {"Puts back the time service's configuration as it was before TimeSync's last change.",
            "It restores the newest backup of the file TimeSync changed (kept in /var/lib/timesync/backups each time 'sync'"
                    + " changes it: chrony's sources file, chrony.conf or ntp.conf) and makes the time service use it again."
                    + " If TimeSync's file did not exist before, it is removed."},
        footer = {"", "Exit codes: 0 restored, 69 no supported time service, 71 nothing to restore or the restore failed,",
            "77 needs root."})
final class RollbackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    LoggingMixin logging;

    @Mixin
    SystemRootMixin system;

    @Option(names = "--service", paramLabel = "chrony|ntpsec|timesyncd",
            completionCandidates = Choices.SetupServices.class, description = "Use this time service instead of detecting it.")
    String service;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (system.lacksPrivilege()) {
            err.println("timesync: rollback changes the time service's configuration and needs root");
            return ExitCode.PERMISSION;
        }
        try {
            Path restored = Correctors.forPlatform(Machine.of(spec), Machine.of(spec).platform(), false, system.root, service, false, false,
                    io.timesync.api.Mode.FAST).rollback();
            spec.commandLine().getOut().println("Restored " + restored + " and made the time service use it.");
            return ExitCode.OK;
        } catch (IOException e) {
            err.println("timesync: " + e.getMessage());
            return ExitCode.NO_SERVER;
        } catch (CorrectionException e) {
            err.println("timesync: rollback failed: " + e.getMessage());
            return SyncCommand.elevationOr(e, ExitCode.CORRECTION_FAILED, err);
        }
    }
}
