package io.timesync.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command summaries of {@code --help} are whole sentences: picocli lists each command with the first
 * line of its description, so that line must be a complete short sentence, and every other line a whole
 * paragraph (picocli wraps each line by itself, so a sentence split over two lines reads as cut off).
 */
class HelpSummaryTest {

    private static List<CommandLine> commands(CommandLine command) {
        List<CommandLine> all = new ArrayList<>(List.of(command));
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                all.addAll(commands(sub));
            }
        });
        return all;
    }

    @Test
    void everyDescriptionLineIsACompleteSentenceOrParagraph() {
        CommandLine cli = Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<CommandLine> all = commands(cli);
        assertThat(all).hasSizeGreaterThanOrEqualTo(12);
        for (CommandLine command : all) {
            String name = command.getCommandSpec().qualifiedName();
            String[] description = command.getCommandSpec().usageMessage().description();
            assertThat(description).as(name).isNotEmpty();
            String summary = description[0];
            assertThat(summary).as(name + " summary").matches("[A-Z].*\\.").doesNotContain(". ").hasSizeLessThanOrEqualTo(100);
            for (String line : description) {
                assertThat(line).as(name + " description line").matches("[A-Z].*[.:]");
            }
        }
    }

    @Test
    void theTopLevelHelpListsEachCommandWithItsWholeSummary() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        String commandsSection = run.out().substring(run.out().indexOf("Commands:") + "Commands:".length(),
                run.out().indexOf("Exit codes:"));
        Map<String, StringBuilder> listed = new LinkedHashMap<>();
        String current = null;
        for (String line : commandsSection.lines().toList()) {
            if (line.matches("  \\S.*")) {
                current = line.strip().split("\\s+", 2)[0];
                listed.put(current, new StringBuilder(line.strip().substring(current.length())));
            } else if (current != null && !line.isBlank()) {
                listed.get(current).append(' ').append(line.strip());
            }
        }
        CommandLine cli = Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(listed.keySet()).containsExactlyElementsOf(cli.getSubcommands().keySet());
        cli.getSubcommands().forEach((name, sub) -> assertThat(listed.get(name).toString().strip().replaceAll("\\s+", " "))
                .as(name).isEqualTo(sub.getCommandSpec().usageMessage().description()[0]));
    }
}
