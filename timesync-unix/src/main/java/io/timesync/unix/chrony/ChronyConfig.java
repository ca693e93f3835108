package io.timesync.unix.chrony;

import io.timesync.unix.RootPath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What TimeSync needs from a chrony.conf: its {@code sourcedir} directories (where TimeSync's own
 * sources file goes) and its command socket ({@code bindcmdaddress} with a path). Read-only: where
 * there is no sourcedir, {@link ChronyCorrector} writes a managed block into chrony.conf. Paths in the file are absolute on the target system; with a
 * root prefix ({@code --root}), they are resolved under it, so a copy of {@code /etc} works as the
 * real thing.
 *
 * @param file          the chrony.conf read
 * @param sourceDirs    its sourcedir directories, resolved under the root
 * @param commandSocket its command socket, resolved under the root, or null for chronyc's default
 */
public record ChronyConfig(Path file, List<Path> sourceDirs, Path commandSocket) {

    /** Where distributions put chrony.conf, most common first. */
    public static final List<String> LOCATIONS = List.of("/etc/chrony/chrony.conf", "/etc/chrony.conf");

    /** Copies the list so the record is immutable. */
    public ChronyConfig {
        sourceDirs = List.copyOf(sourceDirs);
    }

    /** Finds and reads the chrony.conf of the system under {@code root} ("/" for the real one). */
    public static Optional<ChronyConfig> find(Path root) throws IOException {
        for (String location : LOCATIONS) {
            Path file = RootPath.under(root, location);
            if (Files.isRegularFile(file)) {
                return Optional.of(read(root, file));
            }
        }
        return Optional.empty();
    }

    /** Reads {@code file}, resolving its paths under {@code root}; {@code include} and {@code confdir} files are followed. */
    public static ChronyConfig read(Path root, Path file) throws IOException {
        List<Path> sourceDirs = new ArrayList<>();
        Path[] socket = new Path[1];
        scan(root, file, sourceDirs, socket, 0);
        return new ChronyConfig(file, sourceDirs, socket[0]);
    }

    private static void scan(Path root, Path file, List<Path> sourceDirs, Path[] socket, int depth) throws IOException {
        if (depth > 8) {
            throw new IOException("chrony configuration includes nest deeper than 8 levels at " + file);
        }
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || "#;!%".indexOf(line.charAt(0)) >= 0) {
                continue;
            }
            String[] words = line.split("\\s+");
            String directive = words[0].toLowerCase(Locale.ROOT);
            if (words.length < 2) {
                continue;
            }
            switch (directive) {
                case "sourcedir" -> sourceDirs.add(RootPath.under(root, words[1]));
                case "bindcmdaddress" -> {
                    if (words[1].startsWith("/")) {
                        socket[0] = RootPath.under(root, words[1]);
                    }
                }
                case "include" -> {
                    Path included = RootPath.under(root, words[1]);
                    if (Files.isRegularFile(included)) {
                        scan(root, included, sourceDirs, socket, depth + 1);
                    }
                }
                case "confdir" -> {
                    Path dir = RootPath.under(root, words[1]);
                    if (Files.isDirectory(dir)) {
                        try (var confs = Files.list(dir)) {
                            for (Path conf : confs.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
                                scan(root, conf, sourceDirs, socket, depth + 1);
                            }
                        }
                    }
                }
                default -> { }
            }
        }
    }

    /**
     * The sourcedir for TimeSync's file: {@code /etc/chrony/sources.d} if configured (Debian and
     * Ubuntu's default), else the first one outside {@code /run} (runtime directories are filled by
     * DHCP hooks and emptied at boot).
     */
    public Optional<Path> managedSourceDir(Path root) {
        Path preferred = RootPath.under(root, "/etc/chrony/sources.d");
        if (sourceDirs.contains(preferred)) {
            return Optional.of(preferred);
        }
        Path run = RootPath.under(root, "/run");
        return sourceDirs.stream().filter(d -> !d.startsWith(run)).findFirst();
    }
}
