package io.timesync.unix.setup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The package managers TimeSync can install a time service with, and their exact argument lists:
 * non-interactive, installing only what is asked (and its dependencies). A list is data; nothing
 * here runs it.
 */
public enum PackageManager {

    /** Debian, Ubuntu and their derivatives. */
    APT_GET("apt-get"),
    /** Fedora, RHEL 8+ and its rebuilds, Amazon Linux 2023. */
    DNF("dnf"),
    /** RHEL/CentOS 7, Amazon Linux 2. */
    YUM("yum"),
    /** openSUSE, SLES. */
    ZYPPER("zypper"),
    /** Alpine. */
    APK("apk"),
    /** Arch and its derivatives. */
    PACMAN("pacman"),
    /** Homebrew, on macOS. */
    BREW("brew");

    private final String program;

    PackageManager(String program) {
        this.program = program;
    }

    /** The program's name, e.g. {@code apt-get}. */
    public String program() {
        return program;
    }

    /** What refreshes the package index before an install, where the manager needs it done separately. */
    public Optional<List<String>> refreshArgv() {
        return switch (this) {
            case APT_GET -> Optional.of(List.of("apt-get", "update"));
            default -> Optional.empty();
        };
    }

    /**
     * Whether installing one time service with this manager removes the others. Debian's chrony,
     * ntpsec and systemd-timesyncd all provide and conflict with the virtual package
     * {@code time-daemon}, so {@code apt-get install ntpsec} removes chrony (and its unit) in the same
     * run; elsewhere they are separate packages that may be installed side by side.
     */
    public boolean replacesOtherTimeServices() {
        return this == APT_GET;
    }

    /** Installs {@code packages} without asking. */
    public List<String> installArgv(List<String> packages) {
        List<String> argv = new ArrayList<>(switch (this) {
            // debconf must not wait for answers on a terminal nobody watches.
            case APT_GET -> List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y");
            case DNF -> List.of("dnf", "install", "-y");
            case YUM -> List.of("yum", "install", "-y");
            case ZYPPER -> List.of("zypper", "--non-interactive", "install");
            case APK -> List.of("apk", "add", "--update-cache");
            case PACMAN -> List.of("pacman", "-S", "--noconfirm", "--needed");
            case BREW -> List.of("brew", "install");
        });
        argv.addAll(checkNames(packages));
        return List.copyOf(argv);
    }

    /** Shows what installing {@code packages} would do, changing nothing, where the manager can. */
    public Optional<List<String>> simulateArgv(List<String> packages) {
        List<String> names = checkNames(packages);
        List<String> argv = switch (this) {
            case APT_GET -> new ArrayList<>(List.of("apt-get", "-s", "install"));
            case ZYPPER -> new ArrayList<>(List.of("zypper", "--non-interactive", "install", "--dry-run"));
            case APK -> new ArrayList<>(List.of("apk", "add", "--simulate"));
            default -> null;
        };
        if (argv == null) {
            return Optional.empty();
        }
        argv.addAll(names);
        return Optional.of(List.copyOf(argv));
    }

    private static List<String> checkNames(List<String> packages) {
        if (packages.isEmpty()) {
            throw new IllegalArgumentException("no package to install");
        }
        for (String p : packages) {
            if (!p.matches("[a-z0-9][a-z0-9+._-]*")) {
                throw new IllegalArgumentException("'" + p + "' is not a package name");
            }
        }
        return packages;
    }
}
