package io.timesync.agent;

import io.timesync.api.Mode;
import io.timesync.api.ProbeOptions;
import io.timesync.api.ServerAddress;
import io.timesync.api.TimeSource;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.memo.JsonMemoStore;
import io.timesync.nts.NtsClient;
import io.timesync.nts.NtsKeClient;
import io.timesync.nts.NtsTrust;
import io.timesync.probe.HostResolver;
import io.timesync.probe.Probe;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Optimizer;
import io.timesync.select.SelectionPolicy;
import io.timesync.testing.ChronyNtsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's cycles over a real chronyd NTS server: the selection stays authenticated in measure cycles. */
class CycleNtsTest {

    @RegisterExtension
    static final ChronyNtsExtension nts = new ChronyNtsExtension(2);

    @TempDir
    Path state;

    @Test
    void aSelectedNtsServerIsMeasuredWithAuthenticationInMeasureCycles() throws Exception {
        ProbeOptions options = CycleTest.QUICK;
        ProbeRunner runner = new ProbeRunner(options, TimeSource.system(), HostResolver.system(), new SecureRandom());
        NtsClient client = new NtsClient(new NtsKeClient(NtsTrust.fromFile(nts.pki().caCertificate()), Duration.ofSeconds(5)),
                HostResolver.system(), TimeSource.system(), new SecureRandom(), null, NtsClient.DEFAULT_SESSION_LIFETIME);
        List<Probe> ntsProbes = List.of(client.probe(ServerAddress.parse(nts.keServer(), NtsKeClient.DEFAULT_PORT), options));
        SelectionPolicy selection = SelectionPolicy.defaults().withRequireAuthenticated(true);
        Cycle cycle = new Cycle(new Cycle.Settings(Mode.FAST, CorrectionPolicy.defaults(), selection, Optimizer.Strategy.BEST,
                List.of(), false), new Optimizer(runner, selection, ntsProbes), runner, ntsProbes, null,
                new RecordingCorrector(), new JsonMemoStore(state));

        CycleReport optimized = cycle.run(CycleKind.OPTIMIZE, TimeSource.system().wallClockNanos());
        CycleReport measured = cycle.run(CycleKind.MEASURE, TimeSource.system().wallClockNanos());

        assertThat(optimized.measurement().authenticated()).as(optimized.detail()).isTrue();
        assertThat(measured.source()).isEqualTo(optimized.source());
        assertThat(measured.measurement().authenticated()).isTrue();
        assertThat(Math.abs(measured.skewNanos())).isLessThan(1_000_000L);
    }
}
