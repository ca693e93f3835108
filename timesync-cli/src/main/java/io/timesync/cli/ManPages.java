package io.timesync.cli;

import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.asciidoctor.log.LogRecord;
import org.asciidoctor.log.Severity;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The man pages, git style: {@code timesync(1)} and one page per command ({@code timesync-probe(1)},
 * {@code timesync-service-install(1)}), each rendered from the picocli model, so every command and
 * option in {@code --help} is in its page with the same words. picocli-codegen's
 * {@link ManPageGenerator} writes each page as AsciiDoc; Asciidoctor's manpage backend turns it into
 * troff. Build time only: picocli-codegen and asciidoctorj are not in {@code timesync.jar}.
 */
final class ManPages {

    /** Sections of timesync(1) that no command's help has. */
    private static final String TOP_PAGE_SECTIONS = """
            == Files

            _/var/lib/timesync/_::
              State: the memo (memo.json, its lock memo.lock) and backups of changed files. \
            Without root, $XDG_STATE_HOME/timesync (by default ~/.local/state/timesync).

            _/var/log/timesync/_::
              The telemetry log. Without root, $XDG_STATE_HOME/timesync/log.

            _/lib/systemd/system/timesync.service_, _timesync.timer_::
              The periodic sync run as packaged; enable it with systemctl enable --now timesync.timer.

            """;

    private static final String OTHER_PAGES = "*chronyc*(1), *chronyd*(8), *chrony.conf*(5), *ntpq*(1), "
            + "*timedatectl*(1), *systemd.timer*(5)";

    /** Wider than any synopsis, so that picocli writes each on one line. */
    private static final int SYNOPSIS_WIDTH = 10_000;

    /** Brackets right before a formatting mark. */
    private static final Pattern ROLE = Pattern.compile("\\[([^\\[\\]]*)\\](?=[_*#`])");

    private ManPages() {
    }

    /** The file name of {@code spec}'s page, as picocli-codegen names it: {@code timesync-service-install.1}. */
    static String fileName(CommandSpec spec) {
        return spec.qualifiedName("-") + ".1";
    }

    /**
     * Every page, in troff: file name to page, the top-level command first, then its subcommands
     * depth first.
     *
     * @param cli     the command line whose model is documented; pass one made for this, since its
     *                usage help is changed to fit the generator
     * @param version the version for the page footer
     * @param date    the page date, {@code YYYY-MM-DD} (not the build's time, so the pages are reproducible)
     * @throws IllegalStateException when Asciidoctor reports a problem with a page
     */
    static Map<String, String> render(CommandLine cli, String version, String date) {
        adapt(cli.getCommandSpec());
        Map<String, String> adoc = new LinkedHashMap<>();
        collect(cli.getCommandSpec(), adoc);
        Map<String, String> pages = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
            asciidoctor.registerLogHandler(record -> {
                if (record.getSeverity().compareTo(Severity.INFO) > 0) {
                    problems.add(describe(record));
                }
            });
            Attributes attributes = Attributes.builder()
                    .attribute("mansource", cli.getCommandName() + " " + version)
                    .attribute("manmanual", "TimeSync Manual")
                    .attribute("docdate", date)
                    .build();
            Options options = Options.builder().backend("manpage").standalone(true).safe(SafeMode.SECURE)
                    .attributes(attributes).build();
            for (Map.Entry<String, String> page : adoc.entrySet()) {
                pages.put(page.getKey(), asciidoctor.convert(page.getValue(), options));
                if (!problems.isEmpty()) {
                    throw new IllegalStateException(page.getKey() + ": " + String.join("; ", problems));
                }
            }
        }
        return pages;
    }

    /**
     * Fits the model of {@code spec} and its subcommands to the generator; before any page is
     * written, since a page lists its subcommands with their headers.
     */
    private static void adapt(CommandSpec spec) {
        // The generator names a page after the first line of the description, which for most of our
        // commands stops mid-sentence; a header, which our --help does not show, is its first sentence.
        if (spec.usageMessage().header().length == 0) {
            spec.usageMessage().header(firstSentence(spec));
        }
        // man fills the lines itself; picocli wrapping a long synopsis for the terminal would split a
        // value label, and its formatting, across two lines.
        spec.usageMessage().width(SYNOPSIS_WIDTH);
        // picocli-codegen writes a footer only under a heading; --help shows ours without one.
        if (spec.usageMessage().footer().length > 0 && spec.usageMessage().footerHeading().isEmpty()) {
            spec.usageMessage().footerHeading("Notes");
        }
        for (CommandLine sub : spec.subcommands().values()) {
            adapt(sub.getCommandSpec());
        }
    }

    /** The AsciiDoc of {@code spec}'s page and, after it, of its subcommands' pages. */
    private static void collect(CommandSpec spec, Map<String, String> adoc) {
        if (spec.usageMessage().hidden()) {
            return;
        }
        StringWriter page = new StringWriter();
        try (PrintWriter out = new PrintWriter(page)) {
            ManPageGenerator.writeSingleManPage(out, spec);
        }
        adoc.put(fileName(spec), escapeBrackets(referToPages(page.toString())) + seeAlso(spec));
        for (CommandLine sub : spec.subcommands().values()) {
            collect(sub.getCommandSpec(), adoc);
        }
    }

    /**
     * The command list names each command's page, {@code timesync-probe(1)}, as git's does: the
     * generator links to the AsciiDoc file, which a man page cannot.
     */
    static String referToPages(String adoc) {
        return adoc.replaceAll("(?m)^xref:([^\\[\\s]+)\\.adoc\\[[^\\]]*\\]::$", "*$1*(1)::");
    }

    /**
     * Brackets in the synopsis and in the option and argument terms are text, but {@code [:PORT]_}
     * (from {@code _HOST[:PORT]_}) is AsciiDoc's syntax for a role on the formatted text that
     * follows, which then swallows part of the line. The built-in attributes for the brackets are
     * substituted only after the formatting.
     */
    static String escapeBrackets(String adoc) {
        StringBuilder escaped = new StringBuilder();
        boolean synopsis = false;
        for (String line : adoc.split("\n", -1)) {
            if (line.startsWith("== ")) {
                synopsis = line.equals("== Synopsis");
            } else if (!line.startsWith("//") && (synopsis || line.endsWith("::"))) {
                line = ROLE.matcher(line).replaceAll("{startsb}$1{endsb}");
            }
            escaped.append(line).append('\n');
        }
        return escaped.substring(0, escaped.length() - 1);
    }

    private static String seeAlso(CommandSpec spec) {
        List<String> pages = new ArrayList<>();
        for (CommandSpec parent = spec.parent(); parent != null; parent = parent.parent()) {
            pages.add(0, "*" + parent.qualifiedName("-") + "*(1)");
        }
        StringBuilder section = new StringBuilder();
        if (spec.parent() == null) {
            section.append(TOP_PAGE_SECTIONS);
            pages.add(OTHER_PAGES);
        }
        return section.append("== See also\n\n").append(String.join(", ", pages)).append('\n').toString();
    }

    static String firstSentence(CommandSpec spec) {
        String all = String.join(" ", spec.usageMessage().description());
        int end = all.indexOf(". ");
        return (end < 0 ? all : all.substring(0, end)).replaceAll("\\.$", "");
    }

    private static String describe(LogRecord record) {
        String where = record.getCursor() == null ? "" : " (line " + record.getCursor().getLineNumber() + ")";
        return record.getSeverity() + " " + record.getMessage() + where;
    }
}
