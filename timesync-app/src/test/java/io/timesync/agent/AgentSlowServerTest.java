package io.timesync.agent;

import io.timesync.time.Measurement;
import io.timesync.time.Mode;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.memo.JsonMemoStore;
import io.timesync.ntp.Leap;
import io.timesync.nts.NtsClient;
import io.timesync.nts.NtsKeClient;
import io.timesync.nts.NtsTrust;
import io.timesync.probe.HostResolver;
import io.timesync.probe.Probe;
import io.timesync.probe.ProbeRunner;
import io.timesync.probe.ServiceSample;
import io.timesync.select.Optimizer;
import io.timesync.select.SelectionPolicy;
import io.timesync.testing.ChronyNtsExtension;
import io.timesync.testing.Loopback;
import io.timesync.testing.SlowTcpRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real agent loop on the real clock, in ultrafast mode, with an NTS server in its set whose key
 * establishment goes through a box releasing one byte every 2 s (a real chronyd behind it, and the
 * same chronyd as an honest plain server): the optimize cycle ends at the key establishment's deadline
 * with the honest server selected, and the cycles then run every second as the mode says.
 */
class AgentSlowServerTest {

    @RegisterExtension
    static final ChronyNtsExtension nts = new ChronyNtsExtension(2);

    private static final int CYCLES = 6;
    // Generous for a loaded machine; without deadlines the first cycle alone takes over an hour.
    private static final Duration SLACK = Duration.ofSeconds(4);

    @TempDir
    Path state;

    /** Reports with the monotonic time each arrived. */
    private record Reported(CycleReport report, long atMonotonic) {
    }

    @Test
    void anUltrafastAgentKeepsReadingTheServiceEverySecondWithATricklingNtsServerInItsSet() throws Exception {
        List<Reported> seen = run(false);
        // Public servers: the network every 64 s, the time service read every second in between.
        List<Reported> ticks = seen.subList(1, 1 + CYCLES);
        assertThat(ticks).allSatisfy(r -> assertThat(r.report().kind()).isEqualTo(CycleKind.SERVICE));
        assertThat(Duration.ofNanos(ticks.get(CYCLES - 1).atMonotonic() - seen.get(0).atMonotonic()))
                .isLessThan(Duration.ofSeconds(CYCLES).plus(SLACK));
    }

    @Test
    void anUltrafastAgentKeepsMeasuringItsOwnServersEverySecondWithATricklingNtsServerInItsSet() throws Exception {
        List<Reported> seen = run(true);
        // Own servers: measured every second, each cycle trying NTS too; the failed key establishment is
        // not tried again at every cycle, so none of them waits for the trickle.
        List<Reported> measured = seen.subList(1, 1 + CYCLES);
        assertThat(measured).allSatisfy(r -> {
            assertThat(r.report().kind()).isEqualTo(CycleKind.MEASURE);
            assertThat(r.report().measured()).as(r.report().detail()).isTrue();
        });
        assertThat(Duration.ofNanos(measured.get(CYCLES - 1).atMonotonic() - seen.get(0).atMonotonic()))
                .isLessThan(Duration.ofSeconds(CYCLES).plus(SLACK));
    }

    /**
     * Runs the agent until it has reported an optimize cycle and {@link #CYCLES} more (at most 30 s),
     * and checks the optimize cycle: it ended at the key establishment's deadline with the honest server.
     */
    private List<Reported> run(boolean ownServers) throws Exception {
        ProbeOptions options = CycleTest.QUICK;
        TimeSource time = TimeSource.system();
        try (SlowTcpRelay slow = new SlowTcpRelay(new InetSocketAddress(Loopback.ipv4(), nts.ntsPort()), Duration.ofSeconds(2))) {
            ProbeRunner runner = new ProbeRunner(options, time, HostResolver.system(), new SecureRandom());
            NtsClient client = new NtsClient(new NtsKeClient(NtsTrust.fromFile(nts.pki().caCertificate()),
                    NtsKeClient.DEFAULT_DEADLINE), HostResolver.system(), time, new SecureRandom(), null,
                    NtsClient.DEFAULT_SESSION_LIFETIME);
            List<Probe> ntsProbes = List.of(client.probe(new ServerAddress("localhost", slow.port()), options));
            String honest = "127.0.0.1:" + nts.server().port();
            SelectionPolicy selection = SelectionPolicy.defaults();
            Cycle cycle = new Cycle(new Cycle.Settings(Mode.ULTRAFAST, CorrectionPolicy.defaults(), selection,
                    Optimizer.Strategy.BEST, List.of(ServerAddress.parse(honest, 123)), true),
                    new Optimizer(runner, selection, ntsProbes), runner, ntsProbes, new ServiceReading(time),
                    new RecordingCorrector(), new JsonMemoStore(state));
            long start = time.monotonicNanos();
            Schedule schedule = new Schedule(Schedule.Settings.forMode(Mode.ULTRAFAST, ownServers, Duration.ofHours(1))
                    .withStartJitter(Duration.ZERO), true, () -> 0L, start);
            List<Reported> reports = new ArrayList<>();
            Agent agent = new Agent(cycle, schedule, report -> {
                synchronized (reports) {
                    reports.add(new Reported(report, time.monotonicNanos()));
                    reports.notifyAll();
                }
            }, time, Sleeper.on(time));
            Thread loop = new Thread(() -> {
                try {
                    agent.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "agent");
            loop.start();
            List<Reported> seen;
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                synchronized (reports) {
                    while (reports.size() < 1 + CYCLES && System.nanoTime() < end) {
                        reports.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                    }
                    seen = List.copyOf(reports);
                }
            } finally {
                agent.stop();
                loop.join(5000);
            }

            assertThat(seen).as("cycles reported").hasSizeGreaterThanOrEqualTo(1 + CYCLES);
            CycleReport optimized = seen.get(0).report();
            assertThat(optimized.kind()).isEqualTo(CycleKind.OPTIMIZE);
            assertThat(optimized.source()).as(optimized.detail()).isEqualTo(honest);
            assertThat(optimized.decision().verdicts()).anySatisfy(v -> assertThat(v.measurement().error())
                    .startsWith("NTS key establishment failed [timeout]: "));
            assertThat(Duration.ofNanos(seen.get(0).atMonotonic() - start))
                    .isLessThan(NtsKeClient.DEFAULT_DEADLINE.plus(SLACK));
            return seen;
        }
    }

    /** The time service's view: in sync, read at once (no network). */
    private static final class ServiceReading implements Probe {
        private final TimeSource time;

        ServiceReading(TimeSource time) {
            this.time = time;
        }

        @Override
        public String source() {
            return "chronyd (tracking)";
        }

        @Override
        public Measurement measure() {
            return ServiceSample.of("chronyd", "127.0.0.1", time.wallClockNanos(), 0, 3, Leap.NONE, 0, 0, 0);
        }
    }
}
