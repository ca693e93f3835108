package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.time.ProbeOptions;
import io.timesync.time.Sample;
import io.timesync.testing.ChronyExtension;
import io.timesync.testing.Loopback;
import io.timesync.testing.OffsetBound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code timesync probe} in-process against a real chronyd on loopback. */
class ProbeCommandTest {

    private static final int STRATUM = 9;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ChronyExtension CHRONY = new ChronyExtension(STRATUM);

    @Test
    void jsonProbeOfChronyIsWithinHalfTheRoundTripAndUsesTheStableFieldNames() throws Exception {
        long start = System.nanoTime();
        CliRun run = CliRun.of("probe", "--json", "--spacing", "20ms", CHRONY.server().ipv4Server());
        long took = System.nanoTime() - start;
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode server = JSON.readTree(run.out()).get("servers").get(0);
        List<String> fields = new ArrayList<>();
        for (Iterator<String> names = server.fieldNames(); names.hasNext(); ) {
            fields.add(names.next());
        }
        assertThat(fields).contains("server", "address", "port", "stratum", "offsetNs", "delayNs", "jitterNs", "reach",
                "leap", "rootDistanceNs", "errorBoundNs", "samples", "error");
        assertThat(server.get("server").asText()).isEqualTo("127.0.0.1");
        assertThat(server.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(server.get("port").asInt()).isEqualTo(CHRONY.server().port());
        assertThat(server.get("stratum").asInt()).isEqualTo(STRATUM);
        assertThat(server.get("precision").asInt()).isEqualTo(CHRONY.server().precision());
        OffsetBound.assertWithin(server.get("offsetNs").asLong(), JsonSamples.of(server), 0, "probe --json");
        assertThat(server.get("delayNs").asLong()).isPositive().isLessThan(ProbeOptions.defaults().timeout().toNanos());
        // The bound holds the truth (0: chronyd reads our clock) and is its exchanges', without the root
        // distance's floor.
        OffsetBound.assertErrorBound(server.get("offsetNs").asLong(), server.get("errorBoundNs").asLong(),
                JsonSamples.of(server), 0, took, "probe --json");
        assertThat(server.get("rootDistanceNs").asLong()).isGreaterThanOrEqualTo(Sample.MIN_DISPERSION_NANOS / 2);
        assertThat(server.get("jitterNs").asLong()).isNotNegative();
        assertThat(server.get("reach").asInt()).isEqualTo(0b1111);
        assertThat(server.get("leap").asText()).isEqualTo("none");
        assertThat(server.get("samples")).hasSize(4);
        for (JsonNode sample : server.get("samples")) {
            OffsetBound.assertWithin(sample.get("offsetNs").asLong(), sample.get("delayNs").asLong(),
                    server.get("precision").asInt(), 0, "probe --json sample " + sample);
        }
        assertThat(server.get("samples").get(0).get("t1Ns").asLong()).isPositive();
        assertThat(server.get("error").isNull()).isTrue();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void tableShowsOneRowPerAddress() {
        Loopback.requireIpv6();
        CliRun run = CliRun.of("probe", "--samples", "2", "--spacing", "10ms", CHRONY.server().ipv4Server(), "[::1]:" + CHRONY.server().port());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        String[] lines = run.out().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("SERVER").contains("ADDRESS", "OFFSET", "BOUND", "DELAY", "JITTER", "REACH", "LEAP");
        assertThat(lines[1]).startsWith("127.0.0.1").contains(" " + STRATUM + " ").contains(" us").contains("none");
        assertThat(lines[2]).startsWith("::1");
    }

    @Test
    void noAnswerExitsWith69AndSaysWhyPerServer() throws Exception {
        // A socket that takes the requests and never answers: a timeout, not a refusal.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(Loopback.ipv4(), 0))) {
            CliRun run = CliRun.of("probe", "--samples", "1", "--timeout", "200ms", "127.0.0.1:" + silent.getLocalPort());
            assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SERVER);
            assertThat(run.err()).contains("no server answered")
                    .contains("127.0.0.1:" + silent.getLocalPort() + " (127.0.0.1): timeout: no valid reply within 200 ms");
            assertThat(run.out()).contains("timeout");
        }
    }

    @Test
    void aClosedPortEndsAtOnceAsPortUnreachableInTheTableAndTheJson() throws Exception {
        int closed = Loopback.freeUdpPort(false);
        long start = System.nanoTime();
        CliRun table = CliRun.of("probe", "--samples", "4", "--timeout", "2s", "127.0.0.1:" + closed);
        long tookNanos = System.nanoTime() - start;
        assertThat(table.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(table.out().split("\n")[1]).startsWith("127.0.0.1")
                .contains("port unreachable: nothing listens on UDP port " + closed + " of 127.0.0.1");
        assertThat(table.err()).contains("(127.0.0.1): port unreachable");
        // Four requests that each waited out the timeout would take 8 s; loopback refuses the first at once.
        assertThat(tookNanos).isLessThan(2_000_000_000L);

        CliRun json = CliRun.of("probe", "--json", "--samples", "4", "--spacing", "20ms", "--timeout", "2s", "127.0.0.1:" + closed,
                CHRONY.server().ipv4Server());
        assertThat(json.exitCode()).as(json.err()).isEqualTo(ExitCode.OK);
        JsonNode refused = JSON.readTree(json.out()).get("servers").get(0);
        assertThat(refused.get("error").asText()).startsWith("port unreachable");
        assertThat(refused.get("sent").asInt()).isEqualTo(1);
        assertThat(refused.get("failures")).singleElement()
                .satisfies(f -> assertThat(f.get("kind").asText()).isEqualTo("port_unreachable"));
    }

    @Test
    void oneAnsweringServerIsEnoughForSuccess() throws Exception {
        int closed = Loopback.freeUdpPort(false);
        CliRun run = CliRun.of("probe", "--json", "--samples", "1", "--timeout", "200ms", "127.0.0.1:" + closed,
                CHRONY.server().ipv4Server());
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        JsonNode servers = JSON.readTree(run.out()).get("servers");
        assertThat(servers.get(0).get("error").asText()).startsWith("port unreachable");
        assertThat(servers.get(0).get("offsetNs").isNull()).isTrue();
        assertThat(servers.get(0).get("errorBoundNs").isNull()).isTrue();
        assertThat(servers.get(1).get("error").isNull()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--samples 0 127.0.0.1|samples must be from 1 to 64, got 0",
        "--samples x 127.0.0.1|'x' is not an int",
        "--spacing soon 127.0.0.1|'soon' is not a duration",
        "--timeout 0s 127.0.0.1|timeout must be more than 0",
        "bad_host!|invalid host name 'bad_host!'",
        "host:70000|port 70000 is out of range",
        "[::1|missing ']'",
        "--frobnicate 127.0.0.1|Unknown option: '--frobnicate'",
        "''|empty server name"})
    void badArgumentsExitWith64AndSayWhatIsWrong(String args, String message) {
        String[] argv = args.isEmpty() ? new String[] {"probe", ""} : ("probe " + args).split(" ");
        CliRun run = CliRun.of(argv);
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(message).contains("--help");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void missingServerIsAUsageError() {
        CliRun run = CliRun.of("probe");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Missing required parameter").contains("SERVER[:PORT]");
    }

    @Test
    void missingCommandIsAUsageError() {
        CliRun run = CliRun.of();
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("missing command");
    }

    @Test
    void helpAndVersion() {
        CliRun help = CliRun.of("probe", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: timesync probe").contains("--samples=N").contains("--json")
                .contains("SERVER[:PORT]").contains("Exit codes");
        CliRun version = CliRun.of("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("timesync 0.").contains("platform: linux");
    }
}
