package io.timesync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code timesync(1)} in troff (man macros), rendered from the picocli model, so every command and
 * option in {@code --help} is in the page with the same words. picocli-codegen's generator writes
 * AsciiDoc, which needs asciidoctor (a Ruby toolchain) to become a man page; the man macros are
 * simple enough to write directly, and the page then builds with Maven alone.
 */
final class ManPage {

    private ManPage() {
    }

    /**
     * The page.
     *
     * @param cli     the command line whose model is documented
     * @param version the version for the page footer
     * @param date    the page date, {@code YYYY-MM-DD}
     */
    static String render(CommandLine cli, String version, String date) {
        CommandSpec top = cli.getCommandSpec();
        StringBuilder page = new StringBuilder();
        String name = top.name();
        page.append(".TH ").append(name.toUpperCase(Locale.ROOT)).append(" 1 \"").append(date).append("\" \"")
                .append(name).append(' ').append(version).append("\" \"User Commands\"\n");
        page.append(".SH NAME\n").append(name).append(" \\- ").append(text(firstSentence(top))).append('\n');
        page.append(".SH SYNOPSIS\n");
        synopsis(cli, page);
        page.append(".SH DESCRIPTION\n");
        paragraphs(List.of(top.usageMessage().description()), page);
        page.append(".SH OPTIONS\n");
        options(top, page);
        page.append(".SH COMMANDS\n");
        for (CommandLine sub : cli.getSubcommands().values()) {
            command(sub, page);
        }
        page.append(".SH \"EXIT STATUS\"\n");
        paragraphs(List.of(top.usageMessage().footer()), page);
        page.append("Each command's own exit codes are listed with it above.\n");
        page.append(".SH FILES\n");
        page.append(".TP\n.I /var/lib/timesync/\nState: the memo (memo.json, its lock memo.lock) and backups of changed files."
                + " Without root, $XDG_STATE_HOME/timesync (by default ~/.local/state/timesync).\n");
        page.append(".TP\n.I /var/log/timesync/\nThe telemetry log. Without root, $XDG_STATE_HOME/timesync/log.\n");
        page.append(".TP\n.I /lib/systemd/system/timesync.service, timesync.timer\nThe periodic sync run as packaged;"
                + " enable it with systemctl enable \\-\\-now timesync.timer.\n");
        page.append(".SH \"SEE ALSO\"\n.BR chronyc (1),\n.BR chronyd (8),\n.BR chrony.conf (5),\n.BR ntpq (1),\n"
                + ".BR timedatectl (1),\n.BR systemd.timer (5)\n");
        return page.toString();
    }

    private static void command(CommandLine cli, StringBuilder page) {
        CommandSpec spec = cli.getCommandSpec();
        if (spec.usageMessage().hidden()) {
            return;
        }
        page.append(".SS \"").append(text(spec.qualifiedName())).append("\"\n");
        synopsis(cli, page);
        paragraphs(List.of(spec.usageMessage().description()), page);
        options(spec, page);
        if (spec.usageMessage().footer().length > 0) {
            paragraphs(List.of(spec.usageMessage().footer()), page);
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            command(sub, page);
        }
    }

    private static void synopsis(CommandLine cli, StringBuilder page) {
        String synopsis = cli.getHelp().synopsis(0).strip().replaceAll("\\s+", " ");
        page.append(".PP\n.B ").append(text(synopsis)).append('\n');
    }

    private static void options(CommandSpec spec, StringBuilder page) {
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                page.append(".TP\n\\fI").append(text(p.paramLabel())).append("\\fR\n")
                        .append(text(String.join(" ", p.description()))).append('\n');
            }
        }
        List<OptionSpec> options = new ArrayList<>(spec.options());
        options.sort((a, b) -> a.longestName().replaceFirst("^-+", "").compareToIgnoreCase(b.longestName().replaceFirst("^-+", "")));
        for (OptionSpec o : options) {
            if (o.hidden()) {
                continue;
            }
            StringBuilder label = new StringBuilder();
            for (String n : o.names()) {
                if (label.length() > 0) {
                    label.append(", ");
                }
                label.append("\\fB").append(text(n)).append("\\fR");
            }
            if (o.arity().max() > 0) {
                label.append("=\\fI").append(text(o.paramLabel())).append("\\fR");
            }
            page.append(".TP\n").append(label).append('\n').append(text(String.join(" ", o.description()))).append('\n');
        }
    }

    /**
     * Text lines as man paragraphs: a blank line starts a new one, lines indented by two spaces
     * (examples) are kept as they are.
     */
    private static void paragraphs(List<String> lines, StringBuilder page) {
        boolean literal = false;
        page.append(".PP\n");
        for (String line : lines) {
            if (line.isBlank()) {
                if (literal) {
                    page.append(".fi\n");
                    literal = false;
                }
                page.append(".PP\n");
            } else if (line.startsWith("  ")) {
                if (!literal) {
                    page.append(".nf\n");
                    literal = true;
                }
                page.append(text(line)).append('\n');
            } else {
                if (literal) {
                    page.append(".fi\n");
                    literal = false;
                }
                page.append(text(line)).append('\n');
            }
        }
        if (literal) {
            page.append(".fi\n");
        }
    }

    private static String firstSentence(CommandSpec spec) {
        String all = String.join(" ", spec.usageMessage().description());
        int end = all.indexOf(". ");
        return (end < 0 ? all : all.substring(0, end)).replaceAll("\\.$", "");
    }

    /** Escapes text for troff: backslashes, hyphens (so they stay ASCII), and a leading dot or quote. */
    static String text(String s) {
        String escaped = s.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
