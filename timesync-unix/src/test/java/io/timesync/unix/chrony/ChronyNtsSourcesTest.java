package io.timesync.unix.chrony;

import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.time.Sample;
import io.timesync.time.ServerAddress;
import io.timesync.ntp.Leap;
import io.timesync.select.Decision;
import io.timesync.select.Decision.Kind;
import io.timesync.select.Decision.Outcome;
import io.timesync.memo.Selection;
import io.timesync.testing.ChronyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The chrony sources file for servers that passed NTS: {@code nts} sources of their NTS-KE server, which chronyd accepts. */
class ChronyNtsSourcesTest {

    @TempDir
    Path temp;

    private static Measurement measured(String host, int port, String address, int ntpPort, boolean authenticated) {
        Sample s = new Sample(0, 0, 0, 1000, 10, 1000, 2, Leap.NONE, -20, 6, 0, 0, 0);
        return new Measurement(new ServerAddress(host, port), address, ntpPort, 1, 1, List.of(s), List.of(),
                new Estimate(s, 10, 1000, 0, 1), null, authenticated);
    }

    private static Decision selecting(Measurement... ms) {
        List<Decision.Verdict> verdicts = Arrays.stream(ms)
                .map(m -> new Decision.Verdict(m.key(), m, Kind.SELECTED, 90, Map.of(), "selected")).toList();
        return new Decision(verdicts, new Selection(verdicts.stream().map(Decision.Verdict::key).toList(), null, 0),
                Outcome.FIRST_SELECTION, "test");
    }

    @Test
    void serversThatPassedNtsAreWrittenAsNtsSourcesOfTheirKeServer() throws Exception {
        Decision decision = selecting(
                measured("time.cloudflare.com", 4460, "162.159.200.1", 123, true),
                measured("localhost", 14460, "127.0.0.1", 11123, true),
                measured("192.0.2.7", 123, "192.0.2.7", 123, false));

        String content = ChronyCorrector.sourcesContent(decision);

        String servers = "server time.cloudflare.com nts iburst\n"
                + "server localhost nts ntsport 14460 iburst\n"
                + "server 192.0.2.7 iburst\n";
        assertThat(content).endsWith(servers);
        // The real chronyd reads every line as written (-p prints the directives it parsed and exits)...
        assertThat(chronydParses(content)).isEqualTo(servers);
    }

    @Test
    void chronydRejectsASourcesFileItCannotParse() throws Exception {
        // ...and -p is a real check: a line chronyd cannot read fails it.
        Path conf = Files.writeString(temp.resolve("bad.conf"), "server localhost ntsport 14460 nst iburst\n",
                StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(ChronyServer.chronyd().toString(), "-p", "-f", conf.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("Could not parse server directive");
    }

    /** What {@code chronyd -p} prints of {@code content}: the directives it parsed, one a line. */
    private String chronydParses(String content) throws Exception {
        Path conf = Files.writeString(temp.resolve("check.conf"), content, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(ChronyServer.chronyd().toString(), "-p", "-f", conf.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return out;
    }

    @Test
    void anUnauthenticatedMeasurementOfAnNtsHostStaysPlain() {
        String content = ChronyCorrector.sourcesContent(selecting(measured("127.0.0.1", 123, "127.0.0.1", 123, false)));
        assertThat(content).endsWith("server 127.0.0.1 iburst\n").doesNotContain("nts");
    }
}
