package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.app.Machine;
import io.timesync.app.Platforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unix commands end to end through the command line, on the Linux platform, with a machine whose
 * runner records every argument list and answers the known ones with recorded outputs: the exact
 * commands each path runs, on any host.
 */
class UnixCommandsTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @TempDir
    Path home;

    private final RecordingRunner runner = new RecordingRunner();

    private CliRun run(String... args) {
        return CliRun.on(new Machine(Platforms.forName("linux"), runner, Map.of(), "root", home), args);
    }

    @Test
    void serviceInstallAndUninstallRunSystemdsToolsOnTheUnitsUnderTheRoot() throws Exception {
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        String service = units.resolve("timesync.service").toString();
        String timer = units.resolve("timesync.timer").toString();
        List<String> verify = List.of("systemd-analyze", "verify", "--man=no", service, timer);
        List<String> enable = List.of("systemctl", "--root=" + root, "enable", "timesync.timer");
        List<String> disable = List.of("systemctl", "--root=" + root, "disable", "timesync.timer");
        runner.answer(verify, "").answer(enable, "").answer(disable, "");

        CliRun dry = run("service", "install", "--root", root.toString(), "--exec", JAVA, "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(runner.calls).isEmpty();

        CliRun install = run("service", "install", "--root", root.toString(), "--exec", JAVA, "--interval", "5m");
        assertThat(install.exitCode()).as(install.err()).isZero();
        assertThat(runner.calls).containsExactly(verify, enable);
        assertThat(units.resolve("timesync.service")).content().contains("ExecStart=" + JAVA + " sync --mode fast");

        runner.calls.clear();
        CliRun uninstall = run("service", "uninstall", "--root", root.toString());
        assertThat(uninstall.exitCode()).as(uninstall.err()).isZero();
        assertThat(runner.calls).containsExactly(disable);
        assertThat(units.resolve("timesync.timer")).doesNotExist();
    }

    @Test
    void statusAsksChronydUnderTheRootThroughItsCommandSocket(@TempDir Path state) throws Exception {
        Files.createDirectories(root.resolve("etc/chrony"));
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), "bindcmdaddress /run/c/chronyd.sock\n");
        String socket = root.resolve("run/c/chronyd.sock").toString();
        List<String> tracking = List.of("chronyc", "-h", socket, "-n", "-c", "tracking");
        List<String> sources = List.of("chronyc", "-h", socket, "-n", "-c", "sources");
        runner.answer(tracking, recorded("tracking-synchronised.csv"))
                .answer(sources, recorded("sources-one-selected.csv"));

        CliRun status = run("status", "--json", "--root", root.toString(), "--state-dir", state.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(runner.calls).containsExactly(tracking, sources);
        JsonNode service = JSON.readTree(status.out()).get("service");
        assertThat(service.get("name").asText()).isEqualTo("chrony");
        assertThat(service.get("active").asBoolean()).isTrue();
        assertThat(service.at("/tracking/referenceName").asText()).isEqualTo("127.0.0.1");
        assertThat(service.at("/sources/0/address").asText()).isEqualTo("127.0.0.1");
        assertThat(service.at("/sources/0/state").asText()).isEqualTo("selected");
    }

    private static String recorded(String name) throws IOException {
        try (InputStream in = UnixCommandsTest.class.getResourceAsStream("/doctor/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded output " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
