package io.timesync.windows.w32time;

import io.timesync.correct.CommandRunner;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * A Windows command (reg, sc, w32tm, schtasks, nssm) that failed, with the command's own message.
 * {@link #accessDenied()} tells a refusal for lack of elevation apart, so the CLI can say "run it
 * from an elevated prompt" with its own exit code.
 */
public final class CommandFailure extends IOException {

    private final List<String> argv;
    private final int exitCode;
    private final boolean accessDenied;

    private CommandFailure(List<String> argv, int exitCode, String output, boolean accessDenied) {
        super(String.join(" ", argv) + " failed (exit " + exitCode + "): " + (output.isEmpty() ? "no message" : output));
        this.argv = List.copyOf(argv);
        this.exitCode = exitCode;
        this.accessDenied = accessDenied;
    }

    /** The failure of a command's result: its output (stderr and stdout) is the message. */
    public static CommandFailure of(CommandRunner.Result result) {
        String output = (result.stderr().strip() + "\n" + result.stdout().strip()).strip();
        return new CommandFailure(result.argv(), result.exitCode(), output, isAccessDenied(output));
    }

    /**
     * Whether a command's result is a failure: a non-zero exit, or w32tm's error line (w32tm has
     * exited 0 with "The following error occurred" on some versions).
     */
    public static boolean failed(CommandRunner.Result result) {
        return !result.succeeded() || W32tmStatus.errorLine(result.stdout() + "\n" + result.stderr())
                .filter(line -> line.contains("0x8")).isPresent();
    }

    /** The result when it is not a failure; the failure otherwise. */
    public static CommandRunner.Result check(CommandRunner.Result result) throws CommandFailure {
        if (failed(result)) {
            throw of(result);
        }
        return result;
    }

    /** The command. */
    public List<String> argv() {
        return argv;
    }

    /** Its exit status. */
    public int exitCode() {
        return exitCode;
    }

    /** Whether Windows refused for lack of rights (needs an elevated prompt). */
    public boolean accessDenied() {
        return accessDenied;
    }

    // E_ACCESSDENIED as w32tm prints it, Win32 error 5 as sc prints it, and the English message of
    // reg, schtasks and nssm; other languages are caught by the codes.
    private static boolean isAccessDenied(String output) {
        String text = output.toLowerCase(Locale.ROOT);
        return text.contains("0x80070005") || text.matches("(?s).*failed 5\\s*:.*") || text.contains("access is denied");
    }
}
