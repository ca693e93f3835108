package io.timesync.cli;

import io.timesync.correct.CommandRunner;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command runner that records every argument list it is given and answers the ones it was told
 * about; any other command fails the test, naming it, so a path that runs something unexpected
 * cannot pass.
 */
final class RecordingRunner implements CommandRunner {

    final List<List<String>> calls = new ArrayList<>();
    private final Map<List<String>, Result> answers = new LinkedHashMap<>();

    /** Answers {@code argv} with exit 0 and {@code stdout}. */
    RecordingRunner answer(List<String> argv, String stdout) {
        answers.put(List.copyOf(argv), new Result(argv, 0, stdout, ""));
        return this;
    }

    @Override
    public Result run(List<String> argv, Duration timeout) throws IOException {
        calls.add(List.copyOf(argv));
        Result answer = answers.get(argv);
        if (answer == null) {
            throw new AssertionError("unexpected command " + argv);
        }
        return answer;
    }
}
