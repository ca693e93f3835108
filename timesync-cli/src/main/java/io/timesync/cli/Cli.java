package io.timesync.cli;

import io.timesync.app.Machine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Builds the command line with its output writers, so that tests can run any command in-process and
 * check stdout, stderr and the exit code. Data goes to {@code out}, diagnostics to {@code err}; both
 * escape every control character but the line separator ({@link EscapingWriter}).
 */
public final class Cli {

    private static final Logger log = LoggerFactory.getLogger(Cli.class);

    private Cli() {
    }

    /** A fresh command line writing to the given streams, acting on this machine. */
    public static CommandLine create(PrintWriter out, PrintWriter err) {
        return create(out, err, Machine.running());
    }

    /** A fresh command line acting on {@code machine} (tests: a forced platform, a recording runner). */
    static CommandLine create(PrintWriter out, PrintWriter err, Machine machine) {
        CommandLine cli = new CommandLine(new TimeSyncCommand(machine));
        // No control character reaches the terminal, so help is not coloured either.
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cli.setOut(EscapingWriter.of(out));
        cli.setErr(EscapingWriter.of(err));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("timesync: " + e.getMessage());
            command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
            command.getErr().flush();
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parseResult) -> {
            log.debug("internal error", e);
            command.getErr().println("timesync: internal error: " + e);
            command.getErr().println("This is a bug; run again with --verbose and report the output.");
            command.getErr().flush();
            return ExitCode.INTERNAL;
        });
        return cli;
    }

    /** Parses and runs {@code args}; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, Machine.running());
    }

    /** Parses and runs {@code args} on {@code machine}; returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err, Machine machine) {
        int code = create(out, err, machine).execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
