package io.timesync.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.time.Mode;
import io.timesync.time.ServerAddress;
import io.timesync.app.config.Configuration;
import io.timesync.testing.ChronyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The agent as an application starts it, without the CLI: two real chronyd on loopback (an upstream
 * server, and the time service under a temporary root that the agent would drive), in a dry run.
 */
class TimeSyncAgentTest {

    @Test
    void aDryRunAgentMeasuresTheServerReadsTheServiceAndChangesNothing(@TempDir Path work) throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        Path state = work.resolve("state");
        Path logs = work.resolve("logs");
        try (ChronyServer upstream = ChronyServer.start(work, 2);
             ChronyServer service = timeService(root, sources)) {
            List<String> cycles;
            try (TimeSyncAgent agent = TimeSyncAgent.builder()
                    .mode(Mode.ULTRAFAST)
                    .servers(List.of(ServerAddress.parse(upstream.ipv4Server(), 123)))
                    .probing(new Configuration.Probing(2, Duration.ofMillis(20), Duration.ofMillis(300), null))
                    .root(root)
                    .stateDirectory(state)
                    .logDirectory(logs)
                    .startJitter(Duration.ZERO)
                    .dryRun(true)
                    .build()) {
                assertThat(agent.service()).isEqualTo("chrony");
                assertThat(agent.readsService()).isTrue();
                agent.start();
                // An optimize cycle, then chronyd's tracking read every second.
                cycles = awaitCycles(logs.resolve("status.jsonl"), 3, agent);
            }
            JsonNode first = new ObjectMapper().readTree(cycles.get(0));
            assertThat(first.get("kind").asText()).isEqualTo("optimize");
            assertThat(first.get("server").asText()).isEqualTo(upstream.ipv4Server());
            assertThat(cycles).anySatisfy(l -> assertThat(l).contains("\"kind\":\"service\""));
            assertThat(logs.resolve("status.log")).content().contains("optimize", "server=" + upstream.ipv4Server());
            // A dry run: chronyd's sources untouched, nothing recorded, no lock left.
            assertThat(sources.resolve("timesync.sources")).doesNotExist();
            assertThat(state.resolve("daemon.lock")).doesNotExist();

            // An agent that changes things holds its state directory: a second one is refused, with nothing held.
            TimeSyncAgent.Builder changing = TimeSyncAgent.builder().servers(List.of(ServerAddress.parse(upstream.ipv4Server(), 123)))
                    .root(root).stateDirectory(state).logDirectory(logs);
            try (TimeSyncAgent holder = changing.build()) {
                assertThat(holder.service()).isEqualTo("chrony");
                assertThat(catchThrowableOfType(changing::build, TimeSyncAgent.SetupException.class))
                        .satisfies(e -> assertThat(e.problem()).isEqualTo(TimeSyncAgent.Problem.LOCKED))
                        .hasMessageContaining("another TimeSync daemon is running").hasMessageContaining("daemon.lock");
            }
            try (TimeSyncAgent again = changing.build()) {
                assertThat(again.service()).isEqualTo("chrony");
            }
        }
    }

    @Test
    void settingsThatCannotWorkAreRefusedBeforeAnythingStarts(@TempDir Path work) {
        assertThatIllegalArgumentException().isThrownBy(() -> TimeSyncAgent.builder().metricsPort(70_000))
                .withMessageContaining("65535");
        assertThatIllegalArgumentException().isThrownBy(() -> TimeSyncAgent.builder()
                        .servers(List.of(new ServerAddress("127.0.0.1", 123))).stateDirectory(work).logDirectory(work)
                        .optimizeInterval(Duration.ofSeconds(10)).dryRun(true).build())
                .withMessageContaining("optimize interval");
    }

    /** A chronyd whose configuration sits under {@code root}, as the time service the agent works through. */
    private static ChronyServer timeService(Path root, Path sources) throws Exception {
        ChronyServer client = ChronyServer.start(Files.createDirectories(root.resolve("run")),
                new ChronyServer.Spec(10, 10, List.of("sourcedir " + sources), null, Duration.ofSeconds(10)));
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), String.join("\n",
                "sourcedir /etc/chrony/sources.d", "bindcmdaddress /" + root.relativize(client.commandSocket()), ""));
        return client;
    }

    private static List<String> awaitCycles(Path file, int count, TimeSyncAgent agent) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && agent.failure() == null) {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file).stream()
                    .filter(l -> l.contains("\"event\":\"cycle\"")).toList() : List.of();
            if (lines.size() >= count) {
                return lines;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("fewer than " + count + " cycles in " + file + (agent.failure() == null ? ""
                : "; the agent stopped: " + agent.failure()));
    }
}
