package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.testing.ChronyServer;
import io.timesync.testing.OffsetBound;
import io.timesync.testing.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The real executable in its own JVM: exit codes and streams as a shell sees them. */
class MainProcessTest {

    private static Process start(Path dir, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("stderr").toFile()).start();
    }

    @Test
    void probeJsonAgainstChronyExitsZeroWithAMeasurementWithinHalfTheRoundTrip(@TempDir Path dir) throws Exception {
        try (ChronyServer chrony = ChronyServer.start(dir, 8)) {
            Process p = start(dir, "probe", "--json", "--spacing", "50ms", chrony.ipv4Server());
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            JsonNode server = new ObjectMapper().readTree(out).get("servers").get(0);
            OffsetBound.assertWithin(server.get("offsetNs").asLong(), JsonSamples.of(server), 0, "probe --json");
            assertThat(server.get("stratum").asInt()).isEqualTo(8);
        }
    }

    @Test
    void aClosedPortEndsTheProbeAtOnceWithExit69AndSaysPortUnreachable(@TempDir Path dir) throws Exception {
        int closed = Loopback.freeUdpPort(false);
        long start = System.nanoTime();
        Process p = start(dir, "probe", "--samples", "4", "--timeout", "2s", "127.0.0.1:" + closed);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(p.exitValue()).as(out).isEqualTo(ExitCode.NO_SERVER);
        assertThat(out).contains("port unreachable");
        assertThat(dir.resolve("stderr")).content().contains("127.0.0.1:" + closed + " (127.0.0.1): port unreachable");
        // Four requests each waiting out its 2 s timeout would take 8 s; the JVM's start is most of what is left
        // (about a second on an idle machine), so the bound is generous for a loaded one.
        assertThat(took).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void badArgumentsExit64WithTheMessageOnStderr(@TempDir Path dir) throws Exception {
        Process p = start(dir, "probe", "--samples", "0", "127.0.0.1");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(64);
        assertThat(out).isEmpty();
        assertThat(dir.resolve("stderr")).content().contains("samples must be from 1 to 64");
    }
}
