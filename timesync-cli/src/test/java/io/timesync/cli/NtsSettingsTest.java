package io.timesync.cli;

import io.timesync.time.ServerAddress;
import io.timesync.app.config.ConfigFile;
import io.timesync.app.config.Configuration;
import io.timesync.probe.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The NTS candidates: the defaults, and the configuration's NTS keys (nts, ntsTrust, requireNts). */
class NtsSettingsTest {

    @TempDir
    Path dir;

    @Test
    void ntsServersTakeTheKePortByDefault() throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), """
                {"nts": ["time.cloudflare.com", "nts.example:1234"], "ntsTrust": "/etc/ca.pem", "requireNts": true}
                """);
        ConfigFile s = ConfigFile.read(file);
        assertThat(s.ntsServers()).containsExactly(new ServerAddress("time.cloudflare.com", 4460),
                new ServerAddress("nts.example", 1234));
        assertThat(s.ntsTrust()).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(s.requireNts()).isTrue();
        assertThat(ConfigFile.none().requireNts()).isFalse();
        assertThat(ConfigFile.none().ntsServers()).isEmpty();
    }

    @Test
    void aServerEntryCanBeMarkedNtsInTheServersList() throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), """
                {"servers": ["a.example", {"host": "nts.example", "nts": true}, {"host": "b.example:1234", "nts": false},
                             {"host": "nts2.example:5000", "nts": true}],
                 "nts": ["c.example"]}
                """);
        ConfigFile s = ConfigFile.read(file);
        assertThat(s.servers()).containsExactly(new ServerAddress("a.example", 123), new ServerAddress("b.example", 1234));
        assertThat(s.ntsServers()).containsExactly(new ServerAddress("c.example", 4460),
                new ServerAddress("nts.example", 4460), new ServerAddress("nts2.example", 5000));
        assertThat(s.onlyNtsServers()).isFalse();
    }

    @Test
    void aServersListOfNtsServersOnlyReplacesTheDefaultCandidates() throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), """
                {"servers": [{"host": "nts.example", "nts": true}]}
                """);
        assertThat(ConfigFile.read(file).onlyNtsServers()).isTrue();
        Configuration run = resolve("optimize", "--config", file.toString());
        assertThat(run.candidates()).isEmpty();
        assertThat(run.ntsCandidates()).containsExactly(new ServerAddress("nts.example", 4460));
        // Servers named on the command line still replace the configuration's plain ones.
        assertThat(resolve("optimize", "--config", file.toString(), "--server", "ntp.example").candidates())
                .containsExactly(new ServerAddress("ntp.example", 123));
    }

    @Test
    void aBadServerEntryNamesWhatIsWrong() throws Exception {
        Path unknown = Files.writeString(dir.resolve("u.json"), "{\"servers\": [\"a.example\", {\"host\": \"b\", \"key\": 1}]}");
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigFile.read(unknown))
                .withMessageContaining("servers[1]").withMessageContaining("unknown key 'key'").withMessageContaining("host, nts");
        Path noHost = Files.writeString(dir.resolve("h.json"), "{\"servers\": [{\"nts\": true}]}");
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigFile.read(noHost))
                .withMessageContaining("servers[0]").withMessageContaining("\"host\"");
        Path notBoolean = Files.writeString(dir.resolve("b.json"), "{\"servers\": [{\"host\": \"b\", \"nts\": \"yes\"}]}");
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigFile.read(notBoolean))
                .withMessageContaining("nts must be true or false");
        CliRun run = CliRun.of("optimize", "--config", notBoolean.toString(), "--state-dir", dir.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("nts must be true or false");
    }

    @Test
    void badValuesNameTheKey() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.properties"), "requireNts=maybe\nnts=bad host\n");
        ConfigFile s = ConfigFile.read(bad);
        assertThatIllegalArgumentException().isThrownBy(s::requireNts).withMessageContaining("requireNts");
        assertThatIllegalArgumentException().isThrownBy(s::ntsServers).withMessageContaining("nts");
    }

    @Test
    void theDefaultCandidatesIncludeThePublicNtsServers() {
        for (String command : List.of("optimize", "sync", "daemon")) {
            Configuration run = resolve(command);
            assertThat(run.ntsCandidates()).as(command).contains(new ServerAddress("time.cloudflare.com", 4460),
                    new ServerAddress("nts.netnod.se", 4460));
            // What the optimiser and the measure cycles run: one NTS probe per public server.
            assertThat(run.ntsProbes(false)).extracting(Probe::source).as(command)
                    .contains("time.cloudflare.com:4460 (NTS)", "nts.netnod.se:4460 (NTS)");
            assertThat(run.candidates()).as(command).isNotEmpty();
        }
    }

    @Test
    void namedServersReplaceTheDefaultNtsServers() {
        assertThat(resolve("optimize", "--server", "ntp.example").ntsCandidates()).isEmpty();
        assertThat(resolve("optimize", "--pool", "pool.example").ntsCandidates()).isEmpty();
        assertThat(resolve("optimize", "--nts", "nts.example").ntsCandidates())
                .containsExactly(new ServerAddress("nts.example", 4460));
    }

    /** The selection {@code timesync COMMAND ARGS} would run with, resolved as the command resolves it. */
    private Configuration resolve(String command, String... args) {
        CommandLine cli = Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> line = new ArrayList<>(List.of(command, "--state-dir", dir.resolve("state").toString()));
        line.addAll(List.of(args));
        CommandLine.ParseResult parsed = cli.parseArgs(line.toArray(String[]::new)).subcommand();
        Object user = parsed.commandSpec().userObject();
        SelectionOptionsMixin selecting;
        ProbeOptionsMixin probing;
        if (user instanceof OptimizeCommand c) {
            selecting = c.selecting;
            probing = c.probing;
        } else if (user instanceof SyncCommand c) {
            selecting = c.selecting;
            probing = c.probing;
        } else if (user instanceof DaemonCommand c) {
            selecting = c.selecting;
            probing = c.probing;
        } else {
            throw new AssertionError("not a selecting command: " + command);
        }
        try {
            return selecting.resolve(probing, parsed.commandSpec().commandLine());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while resolving " + command, e);
        }
    }
}
