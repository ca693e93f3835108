package io.timesync.unix;

import java.nio.file.Path;

/** Paths of a target system taken under a root prefix ({@code --root}), so a copy of {@code /etc} works like the real one. */
public final class RootPath {

    private RootPath() {
    }

    /** {@code path} (absolute on the target system) under {@code root}. */
    public static Path under(Path root, String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        return root.resolve(relative).normalize();
    }

    /** Whether {@code root} is this machine's own root. */
    public static boolean isRealSystem(Path root) {
        return root.toAbsolutePath().normalize().equals(Path.of("/").toAbsolutePath());
    }
}
