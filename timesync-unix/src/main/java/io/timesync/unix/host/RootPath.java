package io.timesync.unix.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Paths of a target system taken under a root prefix ({@code --root}), so a copy of {@code /etc} works like the real one.
 *
 * <p>Every file TimeSync reads or writes under the root goes through {@link #resolve}: the path is
 * taken under the root, its symbolic links are followed as this machine follows them (a dangling
 * one too), {@code ..} is applied to the real directory reached so far, and the result must lie
 * inside the root's own real path. So neither {@code ..} nor a link in the target's files (a
 * {@code sourcedir /../elsewhere}, an {@code etc/chrony/sources.d -> /elsewhere}) can make a run
 * read or write outside the root. {@link #under} is lexical only, for tests of existence.
 */
public final class RootPath {

    // As the kernel's limit on links followed in one lookup (Linux: 40).
    private static final int MAX_LINKS = 40;

    private final Path root;
    private final Path realRoot;

    private RootPath(Path root, Path realRoot) {
        this.root = root;
        this.realRoot = realRoot;
    }

    /** The root {@code root} ("/" for this machine's own), its own links followed. */
    public static RootPath of(Path root) throws IOException {
        Path absolute = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        return new RootPath(absolute, follow(absolute));
    }

    /** The root as given (absolute). */
    public Path root() {
        return root;
    }

    /**
     * {@code path} (absolute on the target system) under the root, links followed: the real path
     * TimeSync may read or write.
     *
     * @param origin where the path comes from, for the message (e.g. {@code "sourcedir in /r/etc/chrony/chrony.conf"})
     * @throws OutsideRootException when it leads outside the root
     * @throws IOException          when its links cannot be read, or loop
     */
    public Path resolve(String path, String origin) throws IOException {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        Path lexical = root.resolve(relative);
        Path real = follow(lexical);
        if (!real.startsWith(realRoot)) {
            throw new OutsideRootException(origin + " " + path + " leads to " + real + ", outside the root " + root
                    + " (through '..' or a symbolic link): TimeSync reads and writes only inside --root; fix the path or the"
                    + " link, or choose the --root that holds it");
        }
        return real;
    }

    /**
     * As {@link #resolve(String, String)} for a path already taken under the root, as given or
     * resolved (e.g. a file found in a directory there).
     */
    public Path resolve(Path underRoot, String origin) throws IOException {
        Path absolute = underRoot.toAbsolutePath();
        Path base = absolute.startsWith(realRoot) ? realRoot : root;
        if (!absolute.startsWith(base)) {
            throw new OutsideRootException(origin + " " + underRoot + " is outside the root " + root
                    + ": TimeSync reads and writes only inside --root; choose the --root that holds it");
        }
        return resolve("/" + base.relativize(absolute), origin);
    }

    /** Whether the root is this machine's own. */
    public boolean isRealSystem() {
        return realRoot.getParent() == null;
    }

    /** {@code path} (absolute on the target system) under {@code root}, lexically: for tests of existence, not for reading or writing. */
    public static Path under(Path root, String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        return root.resolve(relative).normalize();
    }

    /** Whether {@code root} is this machine's own root. */
    public static boolean isRealSystem(Path root) {
        return root.toAbsolutePath().normalize().equals(Path.of("/").toAbsolutePath());
    }

    // The real path of an absolute path whose tail may not exist: each existing link is replaced by
    // its target, '..' goes up from the real directory reached, the missing rest is appended as named.
    private static Path follow(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        Deque<String> pending = new ArrayDeque<>();
        for (Path name : absolute) {
            pending.addLast(name.toString());
        }
        Path result = absolute.getRoot();
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                result = result.getParent() == null ? result : result.getParent();
                continue;
            }
            Path next = result.resolve(name);
            if (!Files.isSymbolicLink(next)) {
                result = next;
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new IOException("more than " + MAX_LINKS + " symbolic links (a loop?) in " + path);
            }
            Path target = Files.readSymbolicLink(next);
            List<String> names = new ArrayList<>();
            for (Path part : target) {
                names.add(part.toString());
            }
            for (int i = names.size() - 1; i >= 0; i--) {
                pending.addFirst(names.get(i));
            }
            if (target.isAbsolute()) {
                result = target.getRoot();
            }
        }
        return result;
    }
}
