package io.timesync.cli;

import io.timesync.app.Machine;
import io.timesync.correct.CorrectionException;
import io.timesync.platform.ServiceRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code timesync rollback}: puts back the configuration from before the last applied change and makes the service use it. */
@Command(name = "rollback",
        mixinStandardHelpOptions = true,
        description = {"Puts back the time service's configuration as it was before TimeSync's last applied change.",
            "It restores the configuration from before the last change 'sync' applied and verified (each one is journaled"
                    + " in /var/lib/timesync/backups; a sync that failed adds nothing), makes the time service use it and checks"
                    + " that it lists the restored sources. The current file is saved there first. In a file shared with the"
                    + " user only TimeSync's block is put back: the other lines stay as they are. If TimeSync's file did not"
                    + " exist before, it is removed. Run again to go one change further back."},
        footer = {"", "Exit codes: 0 restored, 64 a path leading outside --root, 69 no supported time service,",
            "71 nothing to restore or a step failed (the message says which), 77 needs root."})
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
            Machine machine = TimeSyncCommand.machineOf(spec);
            Path restored = machine.platform().corrector(machine.host(false),
                    new ServiceRequest(system.root, service, false, false, io.timesync.time.Mode.FAST)).rollback();
            spec.commandLine().getOut().println("Restored " + restored + " (the configuration before the last applied change)"
                    + " and made the time service use it: it lists the restored sources.");
            return ExitCode.OK;
        } catch (IOException e) {
            err.println("timesync: " + e.getMessage());
            return SystemRootMixin.exitCode(e);
        } catch (CorrectionException e) {
            err.println("timesync: rollback failed: " + e.getMessage());
            return SyncCommand.elevationOr(TimeSyncCommand.machineOf(spec).platform(), e, ExitCode.CORRECTION_FAILED, err);
        }
    }
}
