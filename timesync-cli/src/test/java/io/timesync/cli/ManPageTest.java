package io.timesync.cli;

import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The man page says what {@code --help} says, for every command, and troff accepts it. */
class ManPageTest {

    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--?[A-Za-z][\\w-]*)");

    private static CommandLine cli() {
        return Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    private static final String PAGE = ManPage.render(cli(), "1.2.3", "2026-11-22");

    /** The page as text: macros dropped (their arguments kept), font and character escapes undone. */
    static String plain(String troff) {
        StringBuilder text = new StringBuilder();
        for (String line : troff.split("\n")) {
            if (line.startsWith(".TH") || line.matches("\\.(TP|PP|nf|fi)")) {
                text.append('\n');
                continue;
            }
            String body = line.startsWith(".") ? line.replaceFirst("^\\.[A-Z]+ ?", "").replace("\"", "") : line;
            text.append(body.replaceAll("\\\\f[BIRP]", "").replace("\\-", "-").replace("\\e", "\\").replace("\\&", ""))
                    .append('\n');
        }
        return text.toString();
    }

    private static String collapse(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    /** The troff of one command's section: from its .SS line to the next .SS or .SH. */
    private static String section(String qualifiedName) {
        String start = ".SS \"" + ManPage.text(qualifiedName) + "\"\n";
        int from = PAGE.indexOf(start);
        assertThat(from).as("section for " + qualifiedName).isNotNegative();
        int end = PAGE.length();
        for (String next : List.of("\n.SS ", "\n.SH ")) {
            int i = PAGE.indexOf(next, from + start.length());
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        return PAGE.substring(from, end);
    }

    private static List<CommandLine> allSubcommands(CommandLine cli) {
        List<CommandLine> all = new ArrayList<>();
        for (CommandLine sub : cli.getSubcommands().values()) {
            all.add(sub);
            all.addAll(allSubcommands(sub));
        }
        return all;
    }

    private static Set<String> optionNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyCommandHasASectionSayingWhatItsHelpSays() {
        List<CommandLine> commands = allSubcommands(cli());
        assertThat(commands).extracting(c -> c.getCommandSpec().qualifiedName())
                .contains("timesync doctor", "timesync setup", "timesync service install", "timesync probe");
        for (CommandLine command : commands) {
            CommandSpec spec = command.getCommandSpec();
            String name = spec.qualifiedName();
            List<String> args = new ArrayList<>(List.of(name.split(" ")).subList(1, name.split(" ").length));
            args.add("--help");
            CliRun help = CliRun.of(args.toArray(String[]::new));
            assertThat(help.exitCode()).as(name).isZero();
            String helpText = collapse(help.out());
            String manText = collapse(plain(section(name)));

            // The same synopsis, description, options (names, value labels, words) and footer.
            String firstWords = spec.usageMessage().description()[0].substring(0, 20);
            // picocli may break a long synopsis inside a word (after ':'), so compare it without spaces.
            String usage = help.out().substring("Usage: ".length(), help.out().indexOf(firstWords)).replaceAll("\\s", "");
            assertThat(manText.replaceAll("\\s", "")).as(name + " synopsis").contains(usage);
            assertThat(manText).as(name + " description").contains(collapse(String.join(" ", spec.usageMessage().description())));
            for (OptionSpec option : spec.options()) {
                String words = collapse(String.join(" ", option.description()));
                assertThat(helpText).as(name + " " + option.longestName() + " in --help").contains(words);
                assertThat(manText).as(name + " " + option.longestName() + " in the man page").contains(words);
                if (option.arity().max() > 0) {
                    assertThat(manText).contains(option.longestName() + "=" + option.paramLabel());
                }
            }
            // Every option one lists, the other lists too.
            assertThat(manOptionNames(section(name))).as(name + " options").isEqualTo(helpOptionNames(help.out()))
                    .isNotEmpty();
            for (String line : spec.usageMessage().footer()) {
                assertThat(manText).as(name + " footer").contains(collapse(line));
                assertThat(helpText).contains(collapse(line));
            }
        }
    }

    /** Option names in --help's option list: the lines that start, after the indent, with a dash. */
    private static Set<String> helpOptionNames(String help) {
        Set<String> names = new TreeSet<>();
        for (String line : help.split("\n")) {
            Matcher m = Pattern.compile("^\\s{2,}((?:-{1,2}[A-Za-z][\\w-]*(?:, )?)+)").matcher(line);
            if (m.find()) {
                names.addAll(optionNames(m.group(1)));
            }
        }
        return names;
    }

    /** Option names in a man section: the tag lines after each .TP. */
    private static Set<String> manOptionNames(String section) {
        Set<String> names = new TreeSet<>();
        String[] lines = section.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].equals(".TP")) {
                names.addAll(optionNames(plain(lines[i + 1]).replaceAll("=\\S+", "")));
            }
        }
        return names;
    }

    @Test
    void theTopLevelHelpAndThePageListTheSameOptionsAndCommands() {
        CliRun help = CliRun.of("--help");
        String options = PAGE.substring(PAGE.indexOf(".SH OPTIONS\n"), PAGE.indexOf(".SH COMMANDS\n"));
        assertThat(manOptionNames(options)).isEqualTo(helpOptionNames(help.out())).containsExactly("--help", "--version", "-V", "-h");
        String commands = help.out().substring(help.out().indexOf("Commands:"));
        for (CommandLine sub : cli().getSubcommands().values()) {
            assertThat(commands).contains("  " + sub.getCommandName() + " ");
            assertThat(PAGE).contains(".SS \"timesync " + sub.getCommandName() + "\"\n");
        }
    }

    @Test
    void theTopLevelPageHasTheSectionsAManPageNeeds() {
        assertThat(PAGE).startsWith(".TH TIMESYNC 1 \"2026-11-22\" \"timesync 1.2.3\" \"User Commands\"\n");
        for (String section : List.of(".SH NAME\ntimesync \\- Measures NTP servers", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS",
                ".SH COMMANDS", ".SH \"EXIT STATUS\"", ".SH FILES", ".SH \"SEE ALSO\"")) {
            assertThat(PAGE).contains(section);
        }
        assertThat(plain(PAGE)).contains("Exit codes: 0 ok, 1 doctor found warnings, 64 usage, 69 no server usable");
        // Hyphens are escaped so option names stay ASCII hyphen-minus when rendered.
        assertThat(PAGE).contains("\\fB\\-\\-dry\\-run\\fR").doesNotContain("\n--");
    }

    @Test
    void troffEscapesWhatItMust() {
        assertThat(ManPage.text(".starts with a dot")).isEqualTo("\\&.starts with a dot");
        assertThat(ManPage.text("a\\b-c")).isEqualTo("a\\eb\\-c");
    }

    @Test
    void groffRendersItWithoutWarnings(@TempDir Path dir) throws Exception {
        Path groff = Path.of("/usr/bin/groff");
        if (!Files.isExecutable(groff)) {
            RequiredTool.missing("groff is not installed; the man page test needs it: apt-get install groff-base");
        }
        Path page = Files.writeString(dir.resolve("timesync.1"), PAGE);
        Process p = new ProcessBuilder(groff.toString(), "-man", "-Tutf8", "-ww", page.toString())
                .redirectError(dir.resolve("err").toFile()).start();
        String rendered = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(dir.resolve("err")).content().isEmpty();
        assertThat(rendered.replaceAll(".\b", "")).contains("timesync doctor").contains("--dry-run");
    }

    @Test
    void theBuildWritesThePageTheCompletionAndTheUnits(@TempDir Path dir) throws Exception {
        DistributionFiles.write(dir, "1.2.3", "2026-11-22");
        assertThat(dir.resolve("man/man1/timesync.1")).content().isEqualTo(PAGE);
        assertThat(dir.resolve("man/man1/timesync.1.gz")).exists();
        String completion = Files.readString(dir.resolve("completion/timesync"));
        assertThat(completion).contains("complete -F _complete_timesync").contains("doctor").contains("setup")
                .contains("--dry-run");
        assertThat(dir.resolve("systemd/timesync.service")).content()
                .contains("ExecStart=/usr/bin/timesync sync --mode fast").startsWith("# Packaged with TimeSync");
        assertThat(dir.resolve("systemd/timesync.timer")).content().contains("OnUnitActiveSec=60s");
        // The same bytes from the same model: reproducible packages.
        Path again = dir.resolve("again");
        DistributionFiles.write(again, "1.2.3", "2026-11-22");
        assertThat(Files.readAllBytes(again.resolve("man/man1/timesync.1.gz")))
                .isEqualTo(Files.readAllBytes(dir.resolve("man/man1/timesync.1.gz")));
    }

    @Test
    void bashCompletesCommandsAndOptions(@TempDir Path dir) throws Exception {
        Path bash = Path.of("/bin/bash");
        if (!Files.isExecutable(bash)) {
            RequiredTool.missing("bash is not installed; the completion test runs the script in it");
        }
        DistributionFiles.write(dir, "1.2.3", "2026-11-22");
        // What bash does on TAB: COMP_WORDS/COMP_CWORD set, the function fills COMPREPLY.
        String script = "source " + dir.resolve("completion/timesync") + "\n"
                + "COMP_WORDS=(timesync do); COMP_CWORD=1; COMP_LINE='timesync do'; COMP_POINT=11; _complete_timesync;"
                + " echo \"${COMPREPLY[@]}\"\n"
                + "COMP_WORDS=(timesync setup --dr); COMP_CWORD=2; COMP_LINE='timesync setup --dr'; COMP_POINT=19;"
                + " _complete_timesync 2>/dev/null; echo \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder(bash.toString(), "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines().toList()).as(out).containsExactly("doctor", "--dry-run");
    }
}
