package io.timesync.cli;

import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every man page says what {@code --help} of its command says, groff renders each without a warning,
 * and the build writes the same bytes each time. The pages are compared as groff renders them, the
 * way a reader sees them.
 */
class ManPageTest {

    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--?[A-Za-z][\\w-]*)");
    private static final String DATE = "2026-11-22";

    /** File name to troff, as the build makes them. */
    private static Map<String, String> pages;
    /** File name to the page as groff renders it for a terminal, without bold and underlining. */
    private static final Map<String, String> RENDERED = new HashMap<>();
    /** File name to what groff said on stderr while rendering it with every warning on. */
    private static final Map<String, String> WARNINGS = new HashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void render() throws Exception {
        pages = ManPages.render(cli(), "1.2.3", DATE);
        Path groff = RequiredTool.find("TIMESYNC_GROFF", "groff", "apt-get install groff-base");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path file = Files.writeString(dir.resolve(page.getKey()), page.getValue());
            Path err = dir.resolve(page.getKey() + ".err");
            // A wide line, so that an option's name and its value label stay on one line.
            Process p = new ProcessBuilder(groff.toString(), "-man", "-Tutf8", "-ww", "-rLL=400n", file.toString())
                    .redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("groff renders " + page.getKey()).isTrue();
            assertThat(p.exitValue()).as("groff on " + page.getKey()).isZero();
            // Overstrikes (bold, underline) undone; Asciidoctor's typographic apostrophe back to ASCII.
            RENDERED.put(page.getKey(), out.replaceAll(".\b", "").replace('\u2019', '\''));
            WARNINGS.put(page.getKey(), Files.readString(err));
        }
    }

    private static CommandLine cli() {
        return Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    private static String collapse(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    /** The rendered page's sections: heading (a line in capitals at the margin) to its text. */
    private static Map<String, String> sections(String rendered) {
        Map<String, String> sections = new LinkedHashMap<>();
        String heading = null;
        StringBuilder text = new StringBuilder();
        for (String line : rendered.split("\n")) {
            if (line.matches("[A-Z][A-Z ]*")) {
                if (heading != null) {
                    sections.put(heading, text.toString());
                }
                heading = line;
                text.setLength(0);
            } else if (heading != null && !line.startsWith("timesync 1.2.3 ")) {
                text.append(line).append('\n');
            }
        }
        if (heading != null) {
            sections.put(heading, text.toString());
        }
        return sections;
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

    /** Option names in a rendered OPTIONS section: the tag lines, at the section's indent. */
    private static Set<String> manOptionNames(String options) {
        Set<String> names = new TreeSet<>();
        for (String line : options.split("\n")) {
            if (line.matches(" {7}-.*")) {
                names.addAll(optionNames(line.replaceAll("=\\S+", "")));
            }
        }
        return names;
    }

    private static CliRun help(CommandSpec spec) {
        List<String> args = new ArrayList<>(List.of(spec.qualifiedName().split(" ")));
        args.remove(0);
        args.add("--help");
        CliRun help = CliRun.of(args.toArray(String[]::new));
        assertThat(help.exitCode()).as(spec.qualifiedName() + " --help").isZero();
        return help;
    }

    @Test
    void thereIsOnePagePerCommandNamedGitStyle() {
        List<String> expected = new ArrayList<>(List.of("timesync.1"));
        for (CommandLine command : allSubcommands(cli())) {
            expected.add(ManPages.fileName(command.getCommandSpec()));
        }
        assertThat(pages.keySet()).containsExactlyElementsOf(expected)
                .contains("timesync-probe.1", "timesync-doctor.1", "timesync-setup.1", "timesync-service.1",
                        "timesync-service-install.1", "timesync-service-uninstall.1");
    }

    @Test
    void everyPageSaysWhatItsCommandsHelpSays() {
        for (CommandLine command : allSubcommands(cli())) {
            CommandSpec spec = command.getCommandSpec();
            String name = spec.qualifiedName();
            String page = ManPages.fileName(spec);
            CliRun help = help(spec);
            String helpText = collapse(help.out());
            Map<String, String> sections = sections(RENDERED.get(page));
            assertThat(sections.keySet()).as(page).startsWith("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS")
                    .endsWith("SEE ALSO");
            String manText = collapse(String.join("\n", sections.values()));

            assertThat(collapse(sections.get("NAME"))).as(page + " NAME")
                    .isEqualTo(spec.qualifiedName("-") + " - " + ManPages.firstSentence(spec));
            // picocli may break a long synopsis inside a word (after ':'), so compare it without spaces.
            String firstWords = spec.usageMessage().description()[0].substring(0, 20);
            String usage = help.out().substring("Usage: ".length(), help.out().indexOf(firstWords)).replaceAll("\\s", "");
            assertThat(sections.get("SYNOPSIS").replaceAll("\\s", "")).as(page + " synopsis").isEqualTo(usage);
            String description = collapse(String.join(" ", spec.usageMessage().description()));
            assertThat(helpText).as(name + " --help description").contains(description);
            assertThat(collapse(sections.get("DESCRIPTION"))).as(page + " description").isEqualTo(description);
            String options = sections.get("OPTIONS");
            for (OptionSpec option : spec.options()) {
                String words = collapse(String.join(" ", option.description()));
                assertThat(helpText).as(name + " " + option.longestName() + " in --help").contains(words);
                assertThat(collapse(options)).as(page + " " + option.longestName()).contains(words);
                if (option.arity().max() > 0) {
                    assertThat(options).as(page).contains(option.longestName() + "=" + option.paramLabel());
                    assertThat(helpText).contains(option.longestName() + "=" + option.paramLabel());
                }
            }
            // Every option one lists, the other lists too.
            assertThat(manOptionNames(options)).as(page + " options").isEqualTo(helpOptionNames(help.out())).isNotEmpty();
            spec.positionalParameters().forEach(p -> assertThat(collapse(sections.get("ARGUMENTS"))).as(page)
                    .contains(p.paramLabel()).contains(collapse(String.join(" ", p.description()))));
            for (String line : spec.usageMessage().footer()) {
                assertThat(manText).as(page + " footer").contains(collapse(line));
                assertThat(helpText).contains(collapse(line));
            }
            assertThat(collapse(sections.get("SEE ALSO"))).as(page).startsWith("timesync(1)");
        }
    }

    @Test
    void aPageWithCommandsListsThemWithTheirPages() {
        List<CommandLine> withCommands = new ArrayList<>(List.of(cli()));
        allSubcommands(cli()).stream().filter(c -> !c.getSubcommands().isEmpty()).forEach(withCommands::add);
        assertThat(withCommands).hasSize(2);
        for (CommandLine command : withCommands) {
            String page = ManPages.fileName(command.getCommandSpec());
            String listed = sections(RENDERED.get(page)).get("COMMANDS");
            String help = help(command.getCommandSpec()).out();
            String helpCommands = help.substring(help.indexOf("Commands:"));
            for (CommandLine sub : command.getSubcommands().values()) {
                CommandSpec spec = sub.getCommandSpec();
                assertThat(helpCommands).contains("  " + sub.getCommandName() + " ");
                // The page's name, then the line --help shows beside the command.
                assertThat(listed).as(page).contains("       " + spec.qualifiedName("-") + "(1)\n           "
                        + ManPages.firstSentence(spec).substring(0, 20));
            }
        }
    }

    @Test
    void theTopLevelPageHasTheOptionsTheExitCodesTheFilesAndTheOtherPages() {
        CliRun help = CliRun.of("--help");
        Map<String, String> sections = sections(RENDERED.get("timesync.1"));
        assertThat(sections.keySet()).containsExactly("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "NOTES",
                "FILES", "SEE ALSO");
        assertThat(manOptionNames(sections.get("OPTIONS"))).isEqualTo(helpOptionNames(help.out()))
                .containsExactly("--help", "--version", "-V", "-h");
        assertThat(collapse(sections.get("NAME"))).isEqualTo("timesync - Measures NTP servers with nanosecond resolution"
                + " and keeps this machine's clock right");
        assertThat(collapse(sections.get("NOTES"))).startsWith("Exit codes: 0 ok, 1 doctor found warnings, 64 usage,"
                + " 69 no server usable");
        assertThat(sections.get("FILES")).contains("/var/lib/timesync/").contains("/var/log/timesync/")
                .contains("systemctl enable --now timesync.timer");
        assertThat(collapse(sections.get("SEE ALSO"))).isEqualTo("chronyc(1), chronyd(8), chrony.conf(5), ntpq(1),"
                + " timedatectl(1), systemd.timer(5)");
        assertThat(collapse(sections(RENDERED.get("timesync-service-install.1")).get("SEE ALSO")))
                .isEqualTo("timesync(1), timesync-service(1)");
    }

    @Test
    void everyPageIsDatedByTheBuildNotByTheClockAndNamesTheVersion() {
        for (Map.Entry<String, String> page : pages.entrySet()) {
            String title = page.getKey().replaceFirst("\\.1$", "").toUpperCase(java.util.Locale.ROOT);
            assertThat(page.getValue()).as(page.getKey())
                    .contains("\n.TH \"" + title.replace("-", "\\-") + "\" \"1\" \"" + DATE + "\" \"timesync 1.2.3\" \"TimeSync Manual\"\n");
            // Option names stay ASCII hyphen-minus when rendered.
            assertThat(page.getValue()).doesNotContain("\n--").contains("\\-\\-help");
        }
    }

    @Test
    void groffRendersEveryPageWithoutWarnings() {
        assertThat(WARNINGS).hasSameSizeAs(pages);
        WARNINGS.forEach((page, warnings) -> assertThat(warnings).as(page).isEmpty());
        assertThat(RENDERED.get("timesync-setup.1")).contains("--dry-run");
    }

    @Test
    void aPageAsciidoctorWarnsAboutFailsTheBuildNamingThePage() {
        // A description line that AsciiDoc reads as a section title at the wrong level.
        CommandSpec spec = CommandSpec.create().name("odd").mixinStandardHelpOptions(true);
        spec.usageMessage().description("Does odd things.", "", "==== Out of sequence");
        assertThatThrownBy(() -> ManPages.render(new CommandLine(spec), "1.2.3", DATE))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("odd.1: WARN")
                .hasMessageContaining("section title out of sequence");
    }

    @Test
    void theBuildWritesTheSamePagesTheCompletionAndTheUnits(@TempDir Path out) throws Exception {
        Files.createDirectories(out.resolve("man/man1"));
        Files.writeString(out.resolve("man/man1/timesync-gone.1"), "a page of a command that no longer exists");
        DistributionFiles.write(out, "1.2.3", DATE);
        List<String> written;
        try (Stream<Path> files = Files.list(out.resolve("man/man1"))) {
            written = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        List<String> expected = new ArrayList<>();
        pages.keySet().forEach(p -> expected.addAll(List.of(p, p + ".gz")));
        assertThat(written).containsExactlyInAnyOrderElementsOf(expected);
        // A second generation gives the same bytes: reproducible packages.
        for (Map.Entry<String, String> page : pages.entrySet()) {
            byte[] troff = page.getValue().getBytes(StandardCharsets.UTF_8);
            assertThat(out.resolve("man/man1/" + page.getKey())).hasBinaryContent(troff);
            byte[] gz = Files.readAllBytes(out.resolve("man/man1/" + page.getKey() + ".gz"));
            assertThat(gz).isEqualTo(DistributionFiles.gzip(troff));
            assertThat(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes()).isEqualTo(troff);
        }
        String completion = Files.readString(out.resolve("completion/timesync"));
        assertThat(completion).contains("complete -F _complete_timesync").contains("doctor").contains("setup")
                .contains("--dry-run");
        assertThat(out.resolve("systemd/timesync.service")).content()
                .contains("ExecStart=/usr/bin/timesync sync --mode fast").startsWith("# Packaged with TimeSync");
        assertThat(out.resolve("systemd/timesync.timer")).content().contains("OnUnitInactiveSec=60s");
    }

    @Test
    void bashCompletesCommandsAndOptions(@TempDir Path out) throws Exception {
        Path bash = Path.of("/bin/bash");
        if (!Files.isExecutable(bash)) {
            RequiredTool.missing("bash is not installed; the completion test runs the script in it");
        }
        DistributionFiles.writeCompletion(out);
        // What bash does on TAB: COMP_WORDS/COMP_CWORD set, the function fills COMPREPLY.
        String script = "source " + out.resolve("completion/timesync") + "\n"
                + "COMP_WORDS=(timesync do); COMP_CWORD=1; COMP_LINE='timesync do'; COMP_POINT=11; _complete_timesync;"
                + " echo \"${COMPREPLY[@]}\"\n"
                + "COMP_WORDS=(timesync setup --dr); COMP_CWORD=2; COMP_LINE='timesync setup --dr'; COMP_POINT=19;"
                + " _complete_timesync 2>/dev/null; echo \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder(bash.toString(), "-c", script).redirectErrorStream(true).start();
        String result = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(result.lines().toList()).as(result).containsExactly("doctor", "--dry-run");
    }
}
