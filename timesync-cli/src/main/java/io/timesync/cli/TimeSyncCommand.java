package io.timesync.cli;

import io.timesync.app.Machine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.util.concurrent.Callable;

/** The top-level {@code timesync} command; the work is in its subcommands. */
@Command(name = "timesync",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Measures NTP servers with nanosecond resolution and keeps this machine's clock right.",
        subcommands = {ProbeCommand.class, OptimizeCommand.class, SyncCommand.class, DaemonCommand.class, RollbackCommand.class,
            StatusCommand.class, ServiceCommand.class, DoctorCommand.class, SetupCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 doctor found warnings, 64 usage, 69 no server usable, 70 internal error, 71 correction failed,"
                + " 73 cannot write state, 75 refused, 76 another daemon running,"
                + " 77 permission denied."})
final class TimeSyncCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final Machine machine;

    TimeSyncCommand(Machine machine) {
        this.machine = machine;
    }

    /** The machine every subcommand acts on. */
    Machine machine() {
        return machine;
    }

    /** The machine of the command line {@code spec} belongs to. */
    static Machine machineOf(CommandSpec spec) {
        return ((TimeSyncCommand) spec.root().userObject()).machine();
    }

    /** The machine of {@code commandLine}. */
    static Machine machineOf(CommandLine commandLine) {
        return machineOf(commandLine.getCommandSpec());
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command (e.g. 'probe')");
    }
}
