package io.timesync.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's test prerequisites name everything {@code .ci/run} puts in place: each package it
 * installs, each one it downloads and unpacks, and each variable it exports for the tests.
 */
class ReadmePrerequisitesTest {

    private static final Pattern INSTALLED = Pattern.compile("need\\+=\\(([^)]+)\\)");
    private static final Pattern DOWNLOADED = Pattern.compile("apt-get download ([^)\\n]+)");
    private static final Pattern EXPORTED = Pattern.compile("^export (TIMESYNC_\\w+)=", Pattern.MULTILINE);

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            for (String word : m.group(1).trim().split("\\s+")) {
                found.add(word);
            }
        }
        return found;
    }

    @Test
    void everythingCiInstallsIsNamedInTheReadme() throws Exception {
        String ci = Files.readString(Path.of("..", ".ci", "run"));
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("Run the whole test suite:");
        int end = readme.indexOf("\n## ", start);
        assertThat(start).as("README.md has a 'Run the whole test suite' section").isPositive();
        String section = readme.substring(start, end);

        Set<String> installed = all(INSTALLED, ci);
        Set<String> downloaded = all(DOWNLOADED, ci);
        Set<String> exported = all(EXPORTED, ci);
        assertThat(installed).as(".ci/run's packages").contains("chrony", "faketime", "systemd", "python3-aiosmtpd", "openssl",
                "unzip", "zsh");
        assertThat(downloaded).as(".ci/run's unpacked packages").contains("ntpsec", "prometheus");
        assertThat(exported).as(".ci/run's variables").contains("TIMESYNC_NTPSEC_ROOT", "TIMESYNC_PROMTOOL");

        List<String> missing = new ArrayList<>();
        for (Set<String> names : List.of(installed, downloaded, exported)) {
            for (String name : names) {
                if (!section.contains("`" + name + "`") && !section.contains(" " + name + " ") && !section.contains(" " + name + "`")) {
                    missing.add(name);
                }
            }
        }
        assertThat(missing).as("named by .ci/run but not in the README's test prerequisites").isEmpty();
    }
}
