package io.timesync.unix.chrony;

import io.timesync.unix.host.RootPath;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What TimeSync needs from a chrony.conf: its {@code sourcedir} directories (where TimeSync's own
 * sources file goes) and its command socket. Read-only: where there is no sourcedir, {@link
 * ChronyCorrector} writes a managed block into chrony.conf. Paths in the file are absolute on the
 * target system; with a root prefix ({@code --root}) they are resolved under it ({@link RootPath}),
 * so a copy of {@code /etc} works as the real thing, and one that leads outside the root is refused.
 *
 * <p>{@code include} and {@code confdir} are followed, at most {@value #MAX_FILES} files and
 * {@value #MAX_BYTES} bytes in all (a file included many times counts each time), and an include
 * cycle is an error: a configuration cannot make a run read without end. Bytes that are not UTF-8
 * (chronyd accepts them in comments) are read as replacement characters, never an error.
 *
 * @param file             the chrony.conf read, resolved under the root
 * @param sourceDirs       its sourcedir directories, resolved under the root
 * @param commandSocket    chronyd's command socket, resolved under the root: the {@code bindcmdaddress} path,
 *                         else chronyd's default, so chronyc never asks another system's chronyd
 * @param managedSourceDir the sourcedir for TimeSync's file (see {@link #find}), if any
 */
public record ChronyConfig(Path file, List<Path> sourceDirs, Path commandSocket, Optional<Path> managedSourceDir) {

    /** Where distributions put chrony.conf, most common first. */
    public static final List<String> LOCATIONS = List.of("/etc/chrony/chrony.conf", "/etc/chrony.conf");
    /** chronyd's command socket when chrony.conf names none: where Debian and Fedora build it, then chrony's own default. */
    public static final List<String> DEFAULT_SOCKETS = List.of("/run/chrony/chronyd.sock", "/var/run/chrony/chronyd.sock");
    /** How many files the includes and confdirs of one chrony.conf may add up to. */
    public static final int MAX_FILES = 256;
    /** How many bytes they may add up to. */
    public static final long MAX_BYTES = 4L << 20;

    // Debian and Ubuntu's sourcedir, preferred when configured.
    private static final String PREFERRED_SOURCE_DIR = "/etc/chrony/sources.d";
    // chronyd reads at most this deep (conf.c: MAX_INCLUDE_LEVEL).
    private static final int MAX_DEPTH = 10;

    /** Copies the list so the record is immutable. */
    public ChronyConfig {
        sourceDirs = List.copyOf(sourceDirs);
    }

    /**
     * Finds and reads the chrony.conf of the system under {@code root} ("/" for the real one).
     *
     * <p>The sourcedir for TimeSync's file is {@code /etc/chrony/sources.d} if configured (Debian and
     * Ubuntu's default), else the first one outside {@code /run} (runtime directories are filled by
     * DHCP hooks and emptied at boot).
     *
     * @throws io.timesync.unix.host.OutsideRootException when a path it reads or names leads outside the root
     * @throws IOException                          when it cannot be read, includes too much, or in a cycle
     */
    public static Optional<ChronyConfig> find(Path root) throws IOException {
        RootPath under = RootPath.of(root);
        for (String location : LOCATIONS) {
            Path file = under.resolve(location, "chrony's configuration");
            if (Files.isRegularFile(file)) {
                return Optional.of(read(under, file));
            }
        }
        return Optional.empty();
    }

    private static ChronyConfig read(RootPath root, Path file) throws IOException {
        Scan scan = new Scan(root, file);
        scan.file(file, new ArrayList<>());
        Path socket = scan.socket;
        if (socket == null) {
            socket = defaultSocket(root);
        }
        return new ChronyConfig(file, scan.sourceDirs, socket, Optional.ofNullable(scan.managed).or(() ->
                Optional.ofNullable(scan.persistent)));
    }

    // The first default socket that exists inside the root, else the first default (which need not exist).
    private static Path defaultSocket(RootPath root) throws IOException {
        for (String candidate : DEFAULT_SOCKETS) {
            try {
                Path socket = root.resolve(candidate, "chronyd's default command socket");
                if (Files.exists(socket)) {
                    return socket;
                }
            } catch (IOException e) {
                // A default that leads outside (a copied /var/run -> /run link) is not this system's socket.
            }
        }
        return root.resolve(DEFAULT_SOCKETS.get(0), "chronyd's default command socket");
    }

    // One reading of a chrony.conf and everything it includes.
    private static final class Scan {
        private final RootPath root;
        private final Path top;
        private final List<Path> sourceDirs = new ArrayList<>();
        private Path socket;
        private Path managed;
        private Path persistent;
        private int files;
        private long bytes;

        Scan(RootPath root, Path top) {
            this.root = root;
            this.top = top;
        }

        // `including`: the files being read, outermost first, for cycles and messages.
        void file(Path file, List<Path> including) throws IOException {
            if (including.contains(file)) {
                List<Path> cycle = new ArrayList<>(including.subList(including.indexOf(file), including.size()));
                cycle.add(file);
                throw new IOException("chrony's configuration includes itself: " + chain(cycle)
                        + "; remove the include or confdir line that closes the cycle");
            }
            if (including.size() >= MAX_DEPTH) {
                throw new IOException("chrony's configuration nests includes deeper than " + MAX_DEPTH + " levels: "
                        + chain(including) + " -> " + file);
            }
            String text = text(file);
            including.add(file);
            int number = 0;
            for (String raw : text.split("\n", -1)) {
                number++;
                line(raw.strip(), file + " line " + number, including);
            }
            including.remove(including.size() - 1);
        }

        private void line(String line, String where, List<Path> including) throws IOException {
            if (line.isEmpty() || "#;!%".indexOf(line.charAt(0)) >= 0) {
                return;
            }
            String[] words = line.split("\\s+");
            if (words.length < 2) {
                return;
            }
            String directive = words[0].toLowerCase(Locale.ROOT);
            switch (directive) {
                case "sourcedir" -> {
                    Path dir = root.resolve(words[1], "sourcedir in " + where + ",");
                    sourceDirs.add(dir);
                    String named = Path.of("/").resolve(words[1]).normalize().toString();
                    if (named.equals(PREFERRED_SOURCE_DIR) && managed == null) {
                        managed = dir;
                    } else if (persistent == null && !isRuntime(named)) {
                        persistent = dir;
                    }
                }
                case "bindcmdaddress" -> {
                    if (words[1].startsWith("/")) {
                        socket = root.resolve(words[1], "bindcmdaddress in " + where + ",");
                    }
                }
                case "include" -> {
                    int slash = words[1].lastIndexOf('/');
                    String name = words[1].substring(slash + 1);
                    if (slash >= 0 && name.matches(".*[*?\\[].*")) {
                        // chrony expands a pattern (glob(3)), in its last part here, in name order.
                        Path dir = root.resolve(slash == 0 ? "/" : words[1].substring(0, slash), "include in " + where + ",");
                        if (Files.isDirectory(dir)) {
                            PathMatcher matcher = dir.getFileSystem().getPathMatcher("glob:" + name);
                            List<Path> matched;
                            try (var listing = Files.list(dir)) {
                                matched = listing.filter(p -> matcher.matches(p.getFileName())).sorted()
                                        .limit(MAX_FILES + 1L).toList();
                            }
                            for (Path one : matched) {
                                Path resolved = root.resolve(one, "a file of include " + words[1] + " (" + where + "),");
                                if (Files.isRegularFile(resolved)) {
                                    file(resolved, including);
                                }
                            }
                        }
                    } else {
                        Path included = root.resolve(words[1], "include in " + where + ",");
                        if (Files.isRegularFile(included)) {
                            file(included, including);
                        }
                    }
                }
                case "confdir" -> {
                    Path dir = root.resolve(words[1], "confdir in " + where + ",");
                    if (Files.isDirectory(dir)) {
                        List<Path> confs;
                        try (var listing = Files.list(dir)) {
                            confs = listing.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted()
                                    .limit(MAX_FILES + 1L).toList();
                        }
                        for (Path conf : confs) {
                            Path resolved = root.resolve(conf, "a file of confdir " + words[1] + " (" + where + "),");
                            if (Files.isRegularFile(resolved)) {
                                file(resolved, including);
                            }
                        }
                    }
                }
                default -> { }
            }
        }

        // The file's text, within what is left of the budget.
        private String text(Path file) throws IOException {
            if (++files > MAX_FILES) {
                throw new IOException("chrony's configuration " + top + " includes more than " + MAX_FILES
                        + " files (include and confdir lines, counted each time they are read); check them for a fan-out");
            }
            long left = MAX_BYTES - bytes;
            byte[] content;
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes((int) (left + 1));
            }
            bytes += content.length;
            if (bytes > MAX_BYTES) {
                throw new IOException("chrony's configuration " + top + " and its includes hold more than " + MAX_BYTES
                        + " bytes (at " + file + "); check its include and confdir lines");
            }
            // Lenient: a byte that is not UTF-8 becomes U+FFFD, which no directive TimeSync reads contains.
            return new String(content, StandardCharsets.UTF_8);
        }

        private static boolean isRuntime(String named) {
            return named.equals("/run") || named.startsWith("/run/") || named.equals("/var/run") || named.startsWith("/var/run/");
        }

        private static String chain(List<Path> files) {
            return String.join(" -> ", files.stream().map(Path::toString).toList());
        }
    }
}
