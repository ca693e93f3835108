package io.timesync.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every duration option of every command refuses a negative duration as a usage error, before doing anything. */
class DurationOptionsTest {

    @Test
    void aNegativeDurationIsAUsageErrorForEveryDurationOption() {
        CommandLine cli = Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<List<String>> uses = new ArrayList<>();
        collect(cli, new ArrayList<>(), uses);
        assertThat(uses).as("duration options found").hasSizeGreaterThanOrEqualTo(5)
                .anySatisfy(use -> assertThat(use).containsSequence("daemon", "--start-jitter"));
        for (List<String> use : uses) {
            for (String negative : List.of("PT-1S", "-1s")) {
                List<String> args = new ArrayList<>(use);
                args.add(negative);
                CliRun run = CliRun.of(args.toArray(String[]::new));
                assertThat(run.exitCode()).as(args + ": " + run.err()).isEqualTo(ExitCode.USAGE);
                assertThat(run.err()).as(String.join(" ", args)).contains("'" + negative + "' is negative")
                        .doesNotContain("This is a bug");
            }
        }
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> uses) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (option.type() == Duration.class) {
                List<String> use = new ArrayList<>(path);
                use.add(option.longestName());
                uses.add(use);
            }
        }
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName())) {
                return;
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            collect(sub, subPath, uses);
        });
    }
}
