package io.timesync.unix.ntpsec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NtpdVariantTest {

    @TempDir
    Path root;

    private static String recorded(String name) throws Exception {
        try (InputStream in = NtpdVariantTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theVersionsTheyPrintTellThemApart() throws Exception {
        assertThat(NtpdVariant.fromVersion(recorded("ntpsec/ntpd-version.txt"))).contains(NtpdVariant.NTPSEC);
        assertThat(NtpdVariant.fromVersion(recorded("ntpsec/ntpq-version.txt"))).contains(NtpdVariant.NTPSEC);
        assertThat(NtpdVariant.fromVersion(recorded("ntpd-classic/ntpd-version.txt"))).contains(NtpdVariant.CLASSIC);
        assertThat(NtpdVariant.fromVersion(recorded("ntpd-classic/rv-freebsd.txt"))).contains(NtpdVariant.CLASSIC);
        assertThat(NtpdVariant.fromVersion(recorded("ntpsec/rv-local-refclock.txt"))).contains(NtpdVariant.NTPSEC);
        // No answer tells nothing.
        assertThat(NtpdVariant.fromVersion(recorded("ntpsec/rv-not-running.txt"))).isEmpty();
        assertThat(NtpdVariant.fromVersion(null)).isEmpty();
    }

    @Test
    void unitFilesAndProgramsTellThemApartUnderARoot() throws Exception {
        assertThat(NtpdVariant.fromFiles(root)).isEmpty();
        Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        // Red Hat-like systems name both units ntpd.service: no answer from it.
        Files.writeString(root.resolve("usr/lib/systemd/system/ntpd.service"), "[Unit]\n");
        assertThat(NtpdVariant.fromFiles(root)).isEmpty();
        Files.writeString(root.resolve("usr/lib/systemd/system/ntp.service"), "[Unit]\n");
        assertThat(NtpdVariant.fromFiles(root)).contains(NtpdVariant.CLASSIC);
        Files.createDirectories(root.resolve("lib/systemd/system"));
        Files.writeString(root.resolve("lib/systemd/system/ntpsec.service"), "[Unit]\n");
        assertThat(NtpdVariant.fromFiles(root)).contains(NtpdVariant.NTPSEC);
    }

    @Test
    void ntpdcIsTheClassicOnesAndEtcNtpsecIsNtpsecs() throws Exception {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.writeString(root.resolve("usr/bin/ntpdc"), "");
        assertThat(NtpdVariant.fromFiles(root)).contains(NtpdVariant.CLASSIC);
        Files.createDirectories(root.resolve("etc/ntpsec"));
        assertThat(NtpdVariant.fromFiles(root)).contains(NtpdVariant.NTPSEC);
    }
}
