package io.timesync.correct;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs OS commands: the one way TimeSync touches an OS tool. Commands are argument lists, never shell
 * strings, so no input can inject a command. Tests substitute a recording runner that replays
 * real outputs and fails loudly on any command it was not told about.
 */
public interface CommandRunner {

    /**
     * Runs {@code argv} and waits at most {@code timeout}; a command still running then is killed.
     *
     * @throws IOException when the program cannot be started or did not finish in time
     */
    Result run(List<String> argv, Duration timeout) throws IOException, InterruptedException;

    /**
     * {@link #run}, for a caller that cannot pass an interruption on: it is reported as an
     * {@link IOException} naming the command, with the thread's interrupt flag set again.
     */
    default Result runReportingInterrupt(List<String> argv, Duration timeout) throws IOException {
        try {
            return run(argv, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", argv), e);
        }
    }

    /**
     * What a command did.
     *
     * @param argv     what was run
     * @param exitCode its exit status
     * @param stdout   its standard output
     * @param stderr   its standard error
     */
    record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        /** Whether it exited with status 0. */
        public boolean succeeded() {
            return exitCode == 0;
        }
    }
}
