package io.timesync.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A broken configuration or memo is reported by file, line, column and what is wrong, never by the parser's internals. */
class ParseErrorMessagesTest {

    @TempDir
    Path dir;

    @Test
    void aBrokenConfigurationNamesTheFileLineColumnAndWhat() throws Exception {
        Path config = Files.writeString(dir.resolve("timesync.json"), "{\n  \"servers\": [\"127.0.0.1\"],\n  \"timeout\": 2s\n}\n");
        CliRun run = CliRun.of("optimize", "--dry-run", "--config", config.toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("the configuration " + config + " is not valid JSON: line 3, column 15: Unexpected"
                + " character ('s' (code 115)): was expecting comma to separate Object entries")
                .doesNotContain("Source").doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
    }

    @Test
    void aBrokenMemoIsSetAsideWithWhereAndWhatWasWrong() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("memo.json"), "{\"version\": 1, \"selection\": {\"servers\": [1, 2}}");
        CliRun run = CliRun.asNobody("status", "--state-dir", state.toString());
        assertThat(run.out()).contains(state.resolve("memo.json") + " was unreadable (line 1, column 46:"
                + " expected ',' or ']' (at selection.servers[1])); moved it to " + state.resolve("memo.json.corrupt"))
                .doesNotContain("Source").doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
    }
}
