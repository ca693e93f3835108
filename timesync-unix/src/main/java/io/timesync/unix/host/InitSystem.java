package io.timesync.unix.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The init system of the system under a root, the one answer setup, service install and doctor all
 * use. A running system is judged by its PID 1 ({@code /proc/1/comm}): systemd only when PID 1 is
 * systemd and {@code /run/systemd/system} exists (the test {@code sd_booted(3)} makes), OpenRC when
 * {@code /run/openrc} exists; an installed {@code systemctl} proves nothing, as containers and
 * chroots carry one with no systemd running. A tree no system runs from (an image under
 * {@code --root}, with no {@code /proc}) is judged by what is installed in it, since
 * {@code systemctl --root} enables units there without a running systemd.
 */
public enum InitSystem {
    SYSTEMD, OPENRC, NONE;

    private static final List<String> BIN_DIRS = List.of("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/");

    /** The init system under {@code root}. */
    public static InitSystem detect(Path root) {
        Optional<String> pid1 = pid1(root);
        boolean systemdRuns = Files.isDirectory(RootPath.under(root, "/run/systemd/system"));
        if (pid1.isPresent()) {
            // Debian's /sbin/init is a link to systemd, so PID 1 may be named either.
            if (systemdRuns && (pid1.get().equals("systemd") || pid1.get().equals("init"))) {
                return SYSTEMD;
            }
            return Files.isDirectory(RootPath.under(root, "/run/openrc")) ? OPENRC : NONE;
        }
        if (systemdRuns || Files.isDirectory(RootPath.under(root, "/etc/systemd/system")) || hasProgram(root, "systemctl")) {
            return SYSTEMD;
        }
        if (hasProgram(root, "rc-service") || hasProgram(root, "openrc-run")) {
            return OPENRC;
        }
        return NONE;
    }

    /** The name of PID 1 under {@code root} ({@code /proc/1/comm}), or empty where there is none to read. */
    public static Optional<String> pid1(Path root) {
        Path comm = RootPath.under(root, "/proc/1/comm");
        try {
            String name = Files.readString(comm, StandardCharsets.UTF_8).strip();
            return name.isEmpty() ? Optional.empty() : Optional.of(name);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** For messages: e.g. {@code systemd}, or {@code none (PID 1 is process_api)}. */
    public static String describe(Path root) {
        InitSystem init = detect(root);
        String name = init.name().toLowerCase(java.util.Locale.ROOT);
        Optional<String> pid1 = pid1(root);
        return init == SYSTEMD || pid1.isEmpty() ? name : name + " (PID 1 is " + pid1.get() + ")";
    }

    private static boolean hasProgram(Path root, String program) {
        return BIN_DIRS.stream().anyMatch(dir -> Files.isRegularFile(RootPath.under(root, dir + program)));
    }
}
