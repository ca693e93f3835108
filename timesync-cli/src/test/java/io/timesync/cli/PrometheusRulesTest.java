package io.timesync.cli;

import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged Prometheus rules ({@code prometheus/timesync.rules.yml} in the zip, the tar.gz and the
 * .deb) as Prometheus's own promtool sees them: {@code check rules} accepts the file, and
 * {@code test rules} runs the series-in, alerts-out cases of {@code prometheus/timesync.rules.test.yml}
 * (the alerts that must fire and those that must not) against a copy of the shipped file. Every alert
 * has a summary, a description and a runbook page that exists.
 */
class PrometheusRulesTest {

    static final Path RULES = Path.of("src/main/dist/prometheus/timesync.rules.yml");
    static final Path CASES = Path.of("src/test/resources/prometheus/timesync.rules.test.yml");
    static final Path REPOSITORY = Path.of("..");
    private static final Pattern ALERT = Pattern.compile("^\\s+- alert: (\\S+)$", Pattern.MULTILINE);
    private static final Pattern RUNBOOK = Pattern.compile("^\\s+runbook_url: (\\S+)#(\\S+)$", Pattern.MULTILINE);

    static Path promtool() {
        return RequiredTool.find("TIMESYNC_PROMTOOL", "promtool",
                "apt-get download prometheus and unpack it (see .ci/run), or apt-get install prometheus");
    }

    /** Runs promtool in {@code dir}; its output, after asserting it ended within a minute with exit 0. */
    static String promtool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command) + " ends").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    @Test
    void promtoolAcceptsTheShippedRules() throws Exception {
        assertThat(promtool(Path.of("."), "check", "rules", RULES.toString())).contains("SUCCESS: 15 rules found");
    }

    @Test
    void theAlertsFireOnTheirSeriesAndOnlyThere(@TempDir Path dir) throws Exception {
        Files.copy(RULES, dir.resolve("timesync.rules.yml"));
        Files.copy(CASES, dir.resolve("timesync.rules.test.yml"));
        assertThat(promtool(dir, "test", "rules", "timesync.rules.test.yml")).contains("SUCCESS");
    }

    @Test
    void everyAlertIsTestedAndHasASummaryADescriptionAndARunbook() throws Exception {
        String rules = Files.readString(RULES);
        String cases = Files.readString(CASES);
        List<String> alerts = new ArrayList<>();
        for (Matcher m = ALERT.matcher(rules); m.find(); ) {
            alerts.add(m.group(1));
        }
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(5).doesNotHaveDuplicates();
        // Each alert's block, up to the next one: one summary, one description, one runbook of its own.
        String[] blocks = rules.split("\n\\s+- alert: ");
        assertThat(blocks).hasSize(alerts.size() + 1);
        for (int i = 0; i < alerts.size(); i++) {
            String name = alerts.get(i);
            String block = blocks[i + 1];
            assertThat(block).as(name).contains("\n          summary: ", "\n          description: ");
            Matcher runbook = RUNBOOK.matcher(block);
            assertThat(runbook.find()).as(name + " has a runbook_url").isTrue();
            Path page = REPOSITORY.resolve(runbook.group(1));
            assertThat(page).as(name + "'s runbook").isRegularFile();
            assertThat(runbook.group(2)).isEqualTo(name.toLowerCase(Locale.ROOT));
            assertThat(Files.readString(page)).as(name + "'s runbook section").contains("\n## " + name + "\n");
            assertThat(cases).as(name + " has cases").contains("alertname: " + name + "\n");
        }
    }
}
