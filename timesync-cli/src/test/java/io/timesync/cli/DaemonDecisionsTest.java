package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.testing.ChronyServer;
import io.timesync.testing.Loopback;
import io.timesync.testing.lab.ImpairmentProfile;
import io.timesync.testing.lab.ImpairmentRelay;
import io.timesync.testing.lab.PathImpairment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's decisions against the truth: real chronyd on loopback, each behind a seeded
 * {@link ImpairmentRelay} with one of the lab's profiles, and the daemon a real process in an
 * ultrafast dry run, its decisions read from {@code status.jsonl} as a user reads them.
 *
 * <p>On one machine the truth is known: every server reads the kernel clock the daemon reads, so an
 * honest server's true offset is 0 and a shifted one's is its shift. Through a path a client's offset
 * is also off by half the path's asymmetry (the {@code asymmetric} profile: 13.5 ms), which no client
 * can see and which the error bound the daemon reports must cover.
 */
class DaemonDecisionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 1;
    private static final long MS = 1_000_000L;
    /** Measured cycles each daemon must have decided on: about a second apart, so the route change falls within them. */
    private static final int CYCLES = 5;

    /** The lab's profiles of a network path ("none" is no path at all). */
    private static List<String> profiles() {
        return StreamSupport.stream(ImpairmentProfile.names().spliterator(), false).filter(p -> !p.equals("none")).toList();
    }

    @Test
    void honestServersOnEveryProfileDecideNoCorrection(@TempDir Path work) throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        Map<String, List<JsonNode>> cycles = new LinkedHashMap<>();
        try (ChronyServer honest = ChronyServer.start(work, 2);
             ChronyServer service = DaemonProcessTest.timeService(root, sources);
             Lab lab = new Lab(work, root)) {
            for (String profile : profiles()) {
                ImpairmentRelay relay = lab.relay(honest, profile);
                // Alone on a lossy path a server scores below the default minimum and would never be measured.
                lab.daemon(profile, List.of(key(relay)), "--min-score", "0");
            }
            for (String profile : profiles()) {
                cycles.put(profile, lab.measured(profile, CYCLES));
            }
        }
        for (Map.Entry<String, List<JsonNode>> run : cycles.entrySet()) {
            for (JsonNode cycle : run.getValue()) {
                assertThat(cycle.get("action").asText()).as("%s: %s", run.getKey(), cycle).isEqualTo("none");
                if (measured(cycle)) {
                    assertContainsTruth(cycle, 0, run.getKey());
                }
            }
        }
    }

    @Test
    void serversAllAheadBy180MillisecondsDecideOneForwardStepWithinItsBound(@TempDir Path work) throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        long ahead = 180 * MS;
        List<JsonNode> cycles;
        try (ChronyServer honest = ChronyServer.start(work, 2);
             ChronyServer shifted = ChronyServer.start(work, ChronyServer.Spec.follower(honest.port(), 2, ahead / 1e9));
             ChronyServer service = DaemonProcessTest.timeService(root, sources);
             Lab lab = new Lab(work, root)) {
            List<String> servers = new ArrayList<>();
            for (String profile : profiles()) {
                servers.add(key(lab.relay(shifted, profile)));
            }
            lab.daemon("ahead", servers);
            cycles = lab.measured("ahead", CYCLES);
        }
        int steps = 0;
        for (JsonNode cycle : cycles) {
            if (!measured(cycle)) {
                assertThat(cycle.get("action").asText()).as("%s", cycle).isEqualTo("none");
                continue;
            }
            // The clock is behind the servers: a step forward, of the skew measured.
            assertThat(cycle.get("action").asText()).as("%s", cycle).isEqualTo("step");
            assertThat(cycle.get("outcome").asText()).as("%s", cycle).isEqualTo("planned");
            long step = cycle.get("actionNs").asLong();
            assertThat(step).as("%s", cycle).isPositive().isEqualTo(cycle.get("offsetNs").asLong());
            assertContainsTruth(cycle, ahead, "the step");
            steps++;
        }
        // A dry run applies nothing, so each cycle decides the step again: every time a step, never a slew, and
        // every time within its bound of the 180 ms it corrects, though the path under it may change (route-change).
        assertThat(steps).as("steps decided").isGreaterThanOrEqualTo(CYCLES);
    }

    @Test
    void theSelectionIsTheServersWithTheSmallestTrueErrorAndNeverALiar(@TempDir Path work) throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        // How far each server's offset is off the truth as a client sees it: its lie plus half its path's asymmetry.
        Map<String, Long> trueError = new LinkedHashMap<>();
        List<String> liars = new ArrayList<>();
        List<JsonNode> lines;
        try (ChronyServer honest = ChronyServer.start(work, 2);
             ChronyServer twoSecondsAhead = ChronyServer.start(work, ChronyServer.Spec.shifted(2, "+2s"));
             ChronyServer behind = ChronyServer.start(work, ChronyServer.Spec.follower(honest.port(), 2, -0.050));
             ChronyServer service = DaemonProcessTest.timeService(root, sources);
             Lab lab = new Lab(work, root)) {
            for (String profile : profiles()) {
                // Its delay steps up 3 s after the relay starts: its true error depends on when it was measured.
                if (!profile.equals("route-change")) {
                    trueError.put(key(lab.relay(honest, profile)), asymmetryError(ImpairmentProfile.named(profile)));
                }
            }
            // The liars on the best path there is, so only their lie can keep them out.
            String fast = key(lab.relay(twoSecondsAhead, "lan"));
            String slow = key(lab.relay(behind, "lan"));
            trueError.put(fast, 2_000 * MS);
            trueError.put(slow, -50 * MS);
            liars.addAll(List.of(fast, slow));
            lab.daemon("selection", List.copyOf(trueError.keySet()));
            lab.measured("selection", 2);
            lines = lab.lines("selection");
        }
        List<JsonNode> syncs = lines.stream().filter(l -> l.get("event").asText().equals("sync")).toList();
        assertThat(syncs).as("selections in %s", lines).isNotEmpty();
        for (JsonNode sync : syncs) {
            List<String> selected = new ArrayList<>();
            sync.get("servers").forEach(s -> selected.add(s.asText()));
            assertThat(selected).as("%s", sync).isNotEmpty().doesNotContainAnyElementsOf(liars);
            long worstSelected = selected.stream().mapToLong(s -> Math.abs(trueError.get(s))).max().orElseThrow();
            trueError.forEach((server, error) -> {
                if (!selected.contains(server)) {
                    assertThat(Math.abs(error)).as("true error of %s, left out of %s (true errors %s)", server, selected, trueError)
                            .isGreaterThanOrEqualTo(worstSelected);
                }
            });
        }
        for (JsonNode cycle : lines) {
            if (cycle.get("event").asText().equals("cycle") && measured(cycle)) {
                assertThat(cycle.get("server").asText()).as("%s", cycle).isNotIn(liars);
                // Only honest servers are measured: their true offset is 0, whatever their path.
                assertContainsTruth(cycle, 0, cycle.get("server").asText());
            }
        }
    }

    /** How far off an honest server's offset is through {@code profile} before any route change: half the asymmetry. */
    private static long asymmetryError(ImpairmentProfile profile) {
        PathImpairment out = profile.toServer();
        PathImpairment back = profile.toClient();
        return (out.baseNs() - back.baseNs()) / 2;
    }

    private static boolean measured(JsonNode cycle) {
        return cycle.hasNonNull("offsetNs");
    }

    /** The cycle's offset is within its reported error bound of the server's true offset. */
    private static void assertContainsTruth(JsonNode cycle, long trueOffsetNs, String what) {
        long offset = cycle.get("offsetNs").asLong();
        long bound = cycle.get("errorBoundNs").asLong();
        assertThat(bound).as("%s: bound of %s", what, cycle).isGreaterThanOrEqualTo(cycle.get("delayNs").asLong() / 2);
        assertThat(offset).as("%s: %s", what, cycle).isBetween(trueOffsetNs - bound, trueOffsetNs + bound);
    }

    private static String key(ImpairmentRelay relay) {
        return "127.0.0.1:" + relay.address().getPort();
    }

    /** The relays and dry-run daemons of one test, all stopped when it closes. */
    private static final class Lab implements AutoCloseable {

        private final Path work;
        private final Path root;
        private final List<ImpairmentRelay> relays = new ArrayList<>();
        private final Map<String, Process> daemons = new LinkedHashMap<>();

        Lab(Path work, Path root) {
            this.work = work;
            this.root = root;
        }

        /** A relay with {@code profile} in front of {@code server}. */
        ImpairmentRelay relay(ChronyServer server, String profile) throws Exception {
            ImpairmentRelay relay = new ImpairmentRelay(new InetSocketAddress(Loopback.ipv4(), 0),
                    new InetSocketAddress(Loopback.ipv4(), server.port()), ImpairmentProfile.named(profile), SEED);
            relays.add(relay);
            return relay;
        }

        /** Starts an ultrafast dry-run daemon named {@code name} on {@code servers}, polling them every second. */
        void daemon(String name, List<String> servers, String... extra) throws Exception {
            List<String> options = new ArrayList<>(List.of("--own-servers", "--dry-run"));
            for (String server : servers.subList(1, servers.size())) {
                options.addAll(List.of("--server", server));
            }
            options.addAll(List.of(extra));
            List<String> command = DaemonProcessTest.daemon(root, work.resolve(name + "-state"), logs(name), servers.get(0),
                    options.toArray(String[]::new));
            daemons.put(name, new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(stderr(name).toFile()).start());
        }

        /** The daemon's cycles once {@code count} of them measured a skew. */
        List<JsonNode> measured(String name, int count) throws Exception {
            Process daemon = daemons.get(name);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && daemon.isAlive()) {
                List<JsonNode> cycles = lines(name).stream().filter(l -> l.get("event").asText().equals("cycle")).toList();
                if (cycles.stream().filter(DaemonDecisionsTest::measured).count() >= count) {
                    return cycles;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("daemon " + name + ": fewer than " + count + " measured cycles in 60 s:\n"
                    + Files.readString(stderr(name)) + "\n" + lines(name));
        }

        /** Every line of the daemon's {@code status.jsonl} so far. */
        List<JsonNode> lines(String name) throws Exception {
            Path file = logs(name).resolve("status.jsonl");
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.exists(file) ? Files.readAllLines(file) : List.<String>of()) {
                lines.add(JSON.readTree(line));
            }
            return lines;
        }

        private Path logs(String name) {
            return work.resolve(name + "-logs");
        }

        private Path stderr(String name) {
            return work.resolve(name + ".err");
        }

        @Override
        public void close() throws Exception {
            List<String> problems = new ArrayList<>();
            try {
                daemons.values().forEach(Process::destroy);
                for (Map.Entry<String, Process> daemon : daemons.entrySet()) {
                    Process p = daemon.getValue();
                    // SIGTERM stops the daemon within about a second, state saved; room for a loaded machine.
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        p.waitFor(10, TimeUnit.SECONDS);
                        problems.add(daemon.getKey() + " did not stop on SIGTERM: " + Files.readString(stderr(daemon.getKey())));
                    } else if (p.exitValue() != ExitCode.OK) {
                        problems.add(daemon.getKey() + " exited with " + p.exitValue() + ": " + Files.readString(stderr(daemon.getKey())));
                    }
                }
            } finally {
                for (ImpairmentRelay relay : relays) {
                    relay.close();
                }
            }
            assertThat(problems).isEmpty();
        }
    }
}
