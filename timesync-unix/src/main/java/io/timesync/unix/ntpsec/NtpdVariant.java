package io.timesync.unix.ntpsec;

import io.timesync.unix.host.RootPath;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which ntpd: NTPsec or the classic one (ntp.org's 4.x). Both read ntp.conf and answer {@code ntpq},
 * so TimeSync drives them alike; people still want to know which runs.
 */
public enum NtpdVariant {
    /** NTPsec ({@code ntpd ntpsec-1.2.2}). */
    NTPSEC("ntpsec"),
    /** ntp.org's reference implementation ({@code ntpd 4.2.8p15@1.3728-o ...}). */
    CLASSIC("ntp");

    // NTPsec numbers itself 1.x behind "ntpsec-"; the classic ntpd and ntpq print 4.x right after their name.
    private static final Pattern CLASSIC_VERSION = Pattern.compile("\\bntp[dq] 4\\.\\d+\\.\\d+");
    private static final List<String> UNIT_DIRECTORIES = List.of("/lib/systemd/system", "/usr/lib/systemd/system",
            "/etc/systemd/system");

    private final String label;

    NtpdVariant(String label) {
        this.label = label;
    }

    /** Its name in TimeSync's output: {@code ntpsec} or {@code ntp}. */
    public String label() {
        return label;
    }

    /**
     * From a version text: {@code ntpd --version}, {@code ntpq --version}, or the {@code version=}
     * variable in {@code ntpq -c rv}; empty when it tells neither.
     */
    public static Optional<NtpdVariant> fromVersion(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.toLowerCase(Locale.ROOT).contains("ntpsec")) {
            return Optional.of(NTPSEC);
        }
        return CLASSIC_VERSION.matcher(text).find() ? Optional.of(CLASSIC) : Optional.empty();
    }

    /**
     * From the files of the system under {@code root}: NTPsec's unit {@code ntpsec.service} or its
     * {@code /etc/ntpsec/} directory; the classic package's unit {@code ntp.service} or its
     * {@code ntpdc} (which NTPsec dropped). {@code ntpd.service} is both's on Red Hat-like systems,
     * so it tells nothing. Empty when nothing tells.
     */
    public static Optional<NtpdVariant> fromFiles(Path root) {
        if (unit(root, "ntpsec.service") || Files.isDirectory(RootPath.under(root, "/etc/ntpsec"))) {
            return Optional.of(NTPSEC);
        }
        if (unit(root, "ntp.service") || Files.exists(RootPath.under(root, "/usr/sbin/ntpdc"))
                || Files.exists(RootPath.under(root, "/usr/bin/ntpdc"))) {
            return Optional.of(CLASSIC);
        }
        return Optional.empty();
    }

    private static boolean unit(Path root, String name) {
        return UNIT_DIRECTORIES.stream().anyMatch(d -> Files.isRegularFile(RootPath.under(root, d + "/" + name)));
    }
}
