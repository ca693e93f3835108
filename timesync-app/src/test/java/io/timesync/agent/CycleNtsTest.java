package io.timesync.agent;

import io.timesync.time.Mode;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.memo.JsonMemoStore;
import io.timesync.memo.ServerRecord;
import io.timesync.memo.ServerRecord.HistoryEntry;
import io.timesync.nts.NtsClient;
import io.timesync.nts.NtsKeClient;
import io.timesync.nts.NtsKeResult;
import io.timesync.nts.NtsSession;
import io.timesync.nts.NtsSessionStore;
import io.timesync.nts.NtsTrust;
import io.timesync.probe.HostResolver;
import io.timesync.probe.Probe;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Optimizer;
import io.timesync.memo.Selection;
import io.timesync.select.SelectionPolicy;
import io.timesync.testing.ChronyNtsExtension;
import io.timesync.testing.Loopback;
import io.timesync.testing.OffsetBound;
import io.timesync.testing.lab.ImpairmentRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's cycles over a real chronyd NTS server: the selection stays authenticated in measure
 * cycles, and when its NTS replies are stripped on the path, it is never downgraded in silence.
 */
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
        OffsetBound.assertWithin(measured.skewNanos(), measured.measurement().samples(), 0, "skew");
    }

    /** Strips the NTS extension fields and moves the server's timestamps 10 s on: a valid, forged plain reply. */
    private static final UnaryOperator<byte[]> FORGED_PLAIN = reply -> {
        ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(reply, 48));
        b.putInt(32, b.getInt(32) + 10).putInt(40, b.getInt(40) + 10);
        return b.array();
    };

    /** Only strips the NTS extension fields: the time is right, but nothing proves who sent it. */
    private static final UnaryOperator<byte[]> STRIPPED = reply -> Arrays.copyOf(reply, 48);

    @Test
    void whenNtsIsRequiredAStrippedNtsReplyIsNeverReplacedByAPlainOne() throws Exception {
        AtomicReference<UnaryOperator<byte[]>> path = new AtomicReference<>(UnaryOperator.identity());
        try (ImpairmentRelay relay = ImpairmentRelay.tampering(chronyNtp(), reply -> path.get().apply(reply))) {
            RecordingCorrector corrector = new RecordingCorrector();
            Cycle cycle = cycleThrough(relay, true, corrector);
            CycleReport optimized = cycle.run(CycleKind.OPTIMIZE, TimeSource.system().wallClockNanos());
            assertThat(optimized.measurement().authenticated()).as(optimized.detail()).isTrue();
            String key = optimized.source();
            int stepsBefore = corrector.clockSteps().size();

            path.set(FORGED_PLAIN);
            CycleReport measured = cycle.run(CycleKind.MEASURE, TimeSource.system().wallClockNanos());

            // A plain probe through the same path would have stepped the clock by 10 s.
            assertThat(measured.outcome()).as(measured.detail()).isEqualTo(CycleReport.Outcome.NO_SOURCE);
            assertThat(measured.skewNanos()).isNull();
            assertThat(corrector.clockSteps()).hasSize(stepsBefore);
            assertThat(measured.detail()).contains(key).contains("NTS-authenticated answer, which is required")
                    .contains("not measured in plain NTP").contains("NTS");
            ServerRecord record = new JsonMemoStore(state).load().server(key);
            HistoryEntry last = record.history().get(record.history().size() - 1);
            assertThat(last.verdict()).isEqualTo("unauthenticated");
            assertThat(last.offsetNanos()).isNull();
            assertThat(last.authenticated()).isFalse();
            assertThat(record.history().get(record.history().size() - 2).authenticated()).isTrue();
        }
    }

    @Test
    void withoutRequiringNtsAFailedNtsServerIsMeasuredInPlainNtpAndSaidToBeUnauthenticated() throws Exception {
        AtomicReference<UnaryOperator<byte[]>> path = new AtomicReference<>(UnaryOperator.identity());
        try (ImpairmentRelay relay = ImpairmentRelay.tampering(chronyNtp(), reply -> path.get().apply(reply))) {
            Cycle cycle = cycleThrough(relay, false, new RecordingCorrector());
            CycleReport optimized = cycle.run(CycleKind.OPTIMIZE, TimeSource.system().wallClockNanos());
            assertThat(optimized.measurement().authenticated()).as(optimized.detail()).isTrue();

            path.set(STRIPPED);
            CycleReport measured = cycle.run(CycleKind.MEASURE, TimeSource.system().wallClockNanos());

            assertThat(measured.source()).isEqualTo(optimized.source());
            assertThat(measured.measurement().authenticated()).isFalse();
            assertThat(measured.decision().summary()).contains(optimized.source() + ": NTS failed (")
                    .contains("measured in plain NTP, not authenticated");
            assertThat(measured.decision().verdicts().get(0).reason()).startsWith("NTS failed (");
            ServerRecord record = new JsonMemoStore(state).load().server(optimized.source());
            assertThat(record.lastAuthenticated()).isFalse();
            assertThat(record.history().get(record.history().size() - 1).offsetNanos()).isNotNull();
        }
    }

    @Test
    void aServerSelectedOverNtsWhoseKeyEstablishmentFailsIsNotDowngradedWhenNtsIsRequired() throws Exception {
        try (ImpairmentRelay relay = ImpairmentRelay.tampering(chronyNtp(), FORGED_PLAIN)) {
            String key = "127.0.0.1:" + relay.address().getPort();
            for (boolean required : new boolean[] {true, false}) {
                // The last run authenticated the server; now nothing listens for key establishment.
                JsonMemoStore store = new JsonMemoStore(state.resolve(required ? "required" : "preferred"));
                long now = TimeSource.system().wallClockNanos();
                store.update(m -> m.withSelection(new Selection(List.of(key), null, 0)).withServers(Map.of(key,
                        new ServerRecord(1, 1, 0, 0, null, null, List.of(
                                new HistoryEntry(now - 1, 0L, 1L, 1L, 2, 99.0, "selected", true))))));
                ServerAddress deadKe = new ServerAddress("localhost", Loopback.freeTcpPort());
                NtsClient client = new NtsClient(new NtsKeClient(NtsTrust.fromFile(nts.pki().caCertificate()),
                        Duration.ofSeconds(5)), HostResolver.system(), TimeSource.system(), new SecureRandom(), null,
                        NtsClient.DEFAULT_SESSION_LIFETIME);
                ProbeRunner runner = new ProbeRunner(CycleTest.QUICK, TimeSource.system(), HostResolver.system(),
                        new SecureRandom());
                List<Probe> ntsProbes = List.of(client.probe(deadKe, CycleTest.QUICK));
                SelectionPolicy selection = SelectionPolicy.defaults().withRequireAuthenticated(required);
                RecordingCorrector corrector = new RecordingCorrector();
                Cycle cycle = new Cycle(new Cycle.Settings(Mode.FAST, CorrectionPolicy.defaults(), selection,
                        Optimizer.Strategy.BEST, List.of(), false), new Optimizer(runner, selection, ntsProbes), runner,
                        ntsProbes, null, corrector, store);

                CycleReport measured = cycle.run(CycleKind.MEASURE, TimeSource.system().wallClockNanos());

                String summary = measured.decision().summary();
                assertThat(summary).as("required %s", required).contains(deadKe + ": NTS key establishment failed");
                if (required) {
                    assertThat(measured.skewNanos()).isNull();
                    assertThat(corrector.clockSteps()).isEmpty();
                    assertThat(summary).contains("not measured in plain NTP");
                } else {
                    // The forged plain reply is taken, but never for an authenticated one.
                    assertThat(measured.measurement().authenticated()).isFalse();
                    assertThat(summary).contains(key + ": NTS failed (").contains("measured in plain NTP, not authenticated");
                    assertThat(store.load().server(key).lastAuthenticated()).isFalse();
                }
            }
        }
    }

    private static InetSocketAddress chronyNtp() {
        return new InetSocketAddress(Loopback.ipv4(), nts.server().port());
    }

    /** A cycle whose one NTS server's session sends NTP through {@code relay}, as if the path went through it. */
    private Cycle cycleThrough(ImpairmentRelay relay, boolean requireNts, RecordingCorrector corrector) throws Exception {
        ProbeOptions options = CycleTest.QUICK;
        ServerAddress keServer = ServerAddress.parse(nts.keServer(), NtsKeClient.DEFAULT_PORT);
        NtsKeClient keClient = new NtsKeClient(NtsTrust.fromFile(nts.pki().caCertificate()), Duration.ofSeconds(5));
        NtsKeResult ke = keClient.establish(keServer, Loopback.ipv4());
        NtsSessionStore sessions = new NtsSessionStore(state.resolve("nts-sessions.json"));
        sessions.save(List.of(new NtsSession(keServer, relay.address(), ke.c2sKey(), ke.s2cKey(), ke.response().cookies(),
                TimeSource.system().wallClockNanos())));
        NtsClient client = new NtsClient(keClient, HostResolver.system(), TimeSource.system(), new SecureRandom(), sessions,
                NtsClient.DEFAULT_SESSION_LIFETIME);
        ProbeRunner runner = new ProbeRunner(options, TimeSource.system(), HostResolver.system(), new SecureRandom());
        List<Probe> ntsProbes = List.of(client.probe(keServer, options));
        SelectionPolicy selection = SelectionPolicy.defaults().withRequireAuthenticated(requireNts);
        return new Cycle(new Cycle.Settings(Mode.FAST, CorrectionPolicy.defaults(), selection, Optimizer.Strategy.BEST,
                List.of(), false), new Optimizer(runner, selection, ntsProbes), runner, ntsProbes, null, corrector,
                new JsonMemoStore(state));
    }
}
