package io.timesync.cli;

import io.timesync.time.Mode;
import io.timesync.unix.service.ServiceFiles;
import picocli.AutoComplete;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes, at build time, the files the zip and the .deb ship besides the jar: the man pages and the
 * bash completion (both from the picocli model, so a new command or option shows up in them with
 * the next build) and the packaged systemd units (from {@link ServiceFiles}, the same text
 * {@code timesync service install} writes). Run by the build: {@code DistributionFiles DIR VERSION DATE}.
 */
public final class DistributionFiles {

    /** Where the packages put the launcher; the packaged units run it. */
    static final String LAUNCHER = "/usr/bin/timesync";

    private DistributionFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: DistributionFiles OUTPUT_DIR VERSION DATE");
        }
        write(Path.of(args[0]), args[1], args[2].length() >= 10 ? args[2].substring(0, 10) : args[2]);
    }

    /** Writes every file under {@code dir}. */
    static void write(Path dir, String version, String date) throws IOException {
        writeManPages(dir, version, date);
        writeCompletion(dir);
        writeUnits(dir);
    }

    /** {@code man/man1/*.1} and, gzipped as Debian ships them, {@code *.1.gz} (see {@link ManPages}). */
    static void writeManPages(Path dir, String version, String date) throws IOException {
        Path man1 = Files.createDirectories(dir.resolve("man/man1"));
        // The page of a command that is gone must not be packaged from an earlier build.
        try (Stream<Path> old = Files.list(man1)) {
            for (Path page : old.filter(f -> f.toString().matches(".*\\.1(\\.gz)?")).toList()) {
                Files.delete(page);
            }
        }
        for (Map.Entry<String, String> page : ManPages.render(cli(), version, date).entrySet()) {
            byte[] troff = page.getValue().getBytes(StandardCharsets.UTF_8);
            Files.write(man1.resolve(page.getKey()), troff);
            Files.write(man1.resolve(page.getKey() + ".gz"), gzip(troff));
        }
    }

    /** {@code completion/timesync}: picocli's bash script, which zsh runs too (through {@code _timesync}). */
    static void writeCompletion(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("completion"));
        Files.writeString(dir.resolve("completion/timesync"), AutoComplete.bash("timesync", cli()), StandardCharsets.UTF_8);
    }

    /** {@code systemd/}: the packaged units, which run {@link #LAUNCHER}. */
    static void writeUnits(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("systemd"));
        String comment = "# Packaged with TimeSync: enable with 'systemctl enable --now timesync.timer'.";
        Files.writeString(dir.resolve("systemd/timesync.service"),
                ServiceFiles.systemdService(List.of(LAUNCHER, "sync", "--mode", "fast"), comment), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("systemd/timesync.timer"),
                ServiceFiles.systemdTimer(Mode.FAST.interval(), comment), StandardCharsets.UTF_8);
        // The agent, for those who want it running instead of the timer (not both).
        Files.writeString(dir.resolve("systemd/timesync-agent.service"), ServiceFiles.systemdDaemon(
                List.of(LAUNCHER, "daemon", "--mode", "fast"),
                "# Packaged with TimeSync: the agent; enable with 'systemctl enable --now timesync-agent.service'"
                        + " (instead of timesync.timer)."), StandardCharsets.UTF_8);
    }

    private static CommandLine cli() {
        return Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    /** gzip with no name and no time in the header, so the same page gives the same bytes. */
    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
