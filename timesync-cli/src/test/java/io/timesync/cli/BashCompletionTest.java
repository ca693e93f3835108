package io.timesync.cli;

import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bash completion script as the zip ships it, sourced by a real bash, asked for the words after an
 * option the way bash's completion asks it (COMP_WORDS, COMP_CWORD); and the model it is made from.
 */
class BashCompletionTest {

    @TempDir
    static Path dir;

    private static Path bash;
    private static Path script;

    @BeforeAll
    static void files() throws Exception {
        bash = RequiredTool.find("TIMESYNC_BASH", "bash", "apt-get install bash");
        DistributionFiles.writeCompletion(dir);
        script = dir.resolve("completion/timesync");
    }

    /** The words completion offers for the last of {@code words} (the word being typed, maybe empty). */
    private static List<String> offered(String... words) throws Exception {
        // compopt refuses to run outside a completion the line editor started; what it sets does not
        // change the words offered.
        String program = "source \"$1\"; shift; compopt() { return 0; }; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\";"
                + " COMP_POINT=${#COMP_LINE}; _complete_timesync; printf '%s\\n' \"${COMPREPLY[@]}\"";
        List<String> command = new ArrayList<>(List.of(bash.toString(), "--norc", "--noprofile", "-c", program, "bash",
                script.toString()));
        command.addAll(Arrays.asList(words));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("stderr").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bash did not finish completing within 60 s: " + out);
        }
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(dir.resolve("stderr")).as("errors while completing").isEmptyFile();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "sync, --strategy, best first-reachable",
        "optimize, --strategy, best first-reachable",
        "sync, --mode, fast lazy ultrafast",
        "daemon, --mode, fast lazy ultrafast",
        "sync, --service, chrony ntpsec timesyncd w32time",
        "setup, --service, chrony ntpsec timesyncd",
        "rollback, --service, chrony ntpsec timesyncd",
        "sync, --platform, linux macos windows",
    })
    void offersExactlyTheValuesTheOptionAccepts(String command, String option, String values) throws Exception {
        assertThat(offered("timesync", command, option, "")).containsExactly(values.split(" "));
    }

    @Test
    void completesAPrefixToTheOneValueItStartsAndNothingForAConstantName() throws Exception {
        assertThat(offered("timesync", "sync", "--strategy", "fi")).containsExactly("first-reachable");
        assertThat(offered("timesync", "service", "install", "--mode", "ul")).containsExactly("ultrafast");
        assertThat(offered("timesync", "sync", "--strategy", "BE")).isEmpty();
    }

    @Test
    void everyOptionWithAFixedSetOffersTheValuesItsLabelNames() {
        CommandLine cli = Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> checked = new ArrayList<>();
        check(cli, checked);
        assertThat(checked).as("options checked").hasSizeGreaterThanOrEqualTo(8);
    }

    private static void check(CommandLine command, List<String> checked) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            String where = command.getCommandName() + " " + option.longestName();
            List<String> candidates = new ArrayList<>();
            if (option.completionCandidates() != null) {
                option.completionCandidates().forEach(candidates::add);
            }
            if (option.paramLabel().matches("[a-z0-9-]+(\\|[a-z0-9-]+)+")) {
                assertThat(candidates).as(where).containsExactlyInAnyOrder(option.paramLabel().split("\\|"));
                checked.add(where);
            } else {
                assertThat(candidates).as(where + ": values only in the spelling the option accepts")
                        .allMatch(c -> c.equals(c.toLowerCase(java.util.Locale.ROOT)));
            }
        }
        command.getSubcommands().values().forEach(sub -> check(sub, checked));
    }
}
