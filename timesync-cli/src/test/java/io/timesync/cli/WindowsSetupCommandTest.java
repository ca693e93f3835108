package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.app.Machine;
import io.timesync.app.Platforms;
import io.timesync.correct.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code timesync setup} on a machine forced to Windows: nothing to install (w32time is built in), and
 * whether NSSM is on the PATH of the machine's environment. It runs no command.
 */
class WindowsSetupCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CommandRunner NONE = (argv, timeout) -> {
        throw new AssertionError("setup on Windows runs nothing, but ran " + argv);
    };

    @TempDir
    Path dir;

    private CliRun setup(Map<String, String> env, String... args) {
        Machine windows = new Machine(Platforms.forName("windows"), NONE, env, "Administrator", dir.resolve("home"));
        String[] argv = new String[args.length + 1];
        argv[0] = "setup";
        System.arraycopy(args, 0, argv, 1, args.length);
        return CliRun.on(windows, argv);
    }

    @Test
    void reportsNssmFoundOnThePath() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path tools = Files.createDirectories(dir.resolve("nssm tools"));
        Path nssm = Files.writeString(tools.resolve("nssm.exe"), "");
        // Windows names the variable Path; the directories are searched in order.
        Map<String, String> env = Map.of("Path", empty + File.pathSeparator + tools);
        CliRun json = setup(env, "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode doc = JSON.readTree(json.out());
        assertThat(doc.get("service").asText()).isEqualTo("w32time");
        assertThat(doc.get("install").asText()).isEqualTo("nothing: w32time is built into Windows");
        assertThat(doc.get("nssm").asText()).isEqualTo(nssm.toString());
        CliRun text = setup(env);
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("Nothing to install: the Windows Time service (w32time) is built in.")
                .contains("NSSM found: " + nssm + " (TimeSync can run as a service with it).");
    }

    @Test
    void withoutNssmTheTaskSchedulerIsNamed() throws Exception {
        Map<String, String> env = Map.of("PATH", Files.createDirectories(dir.resolve("bin")).toString());
        CliRun json = setup(env, "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(JSON.readTree(json.out()).get("nssm").isNull()).isTrue();
        assertThat(setup(Map.of()).out()).contains("NSSM not found on PATH: 'timesync service install' will use the Task Scheduler"
                + " instead.");
    }
}
