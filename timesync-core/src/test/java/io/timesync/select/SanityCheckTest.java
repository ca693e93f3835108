package io.timesync.select;

import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.Sample;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.api.TimeSync;
import io.timesync.memo.Memo;
import io.timesync.ntp.Leap;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.probe.HostResolver;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Decision.Kind;
import io.timesync.testing.Loopback;
import io.timesync.testing.ScriptedNtpServer;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static io.timesync.select.Synthetic.MS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 5905's sanity checks with values, then on every path against a real UDP server on loopback
 * that claims stratum 1 with a root delay and dispersion of 65535 s and serves a time 500 s ahead.
 */
class SanityCheckTest {

    private static final long NOW = 1_700_000_000_000_000_000L;
    private static final ProbeOptions QUICK = ProbeOptions.defaults().withSamples(2).withSpacing(Duration.ofMillis(20))
            .withTimeout(Duration.ofMillis(300));
    /** 65535 s in NTP short format. */
    private static final int ABSURD = 0xFFFF0000;
    private static final long AHEAD = 500_000_000_000L;

    private final SanityCheck check = new SanityCheck(SelectionPolicy.defaults());

    private static Measurement with(int stratum, Leap leap, long rootDelay, long rootDispersion) {
        Sample best = new Sample(0, 0, 0, 2 * MS, 0, 2 * MS, stratum, leap, -20, 6, rootDelay, rootDispersion, 0);
        return new Measurement(new ServerAddress("127.0.0.1", 123), "127.0.0.1", 123, 1, 1, List.of(best), List.of(),
                new Estimate(best, 0, 2 * MS, 0, 1), null);
    }

    @Test
    void eachCheckRejectsWithItsKindAndAWellBehavedServerPasses() {
        assertThat(check.rejection(with(2, Leap.NONE, 10 * MS, 10 * MS))).isNull();
        assertThat(check.rejection(with(16, Leap.NONE, 0, 0)).kind()).isEqualTo(Kind.STRATUM);
        // The policy's range (1-3 by default) as well as RFC 5905's (1-15).
        assertThat(check.rejection(with(4, Leap.NONE, 0, 0)).kind()).isEqualTo(Kind.STRATUM);
        assertThat(new SanityCheck(SelectionPolicy.defaults().withStrata(1, 15)).rejection(with(4, Leap.NONE, 0, 0))).isNull();
        assertThat(check.rejection(with(0, Leap.NONE, 0, 0)).kind()).isEqualTo(Kind.STRATUM);
        assertThat(check.rejection(with(1, Leap.UNSYNCHRONIZED, 0, 0)).kind()).isEqualTo(Kind.UNSYNCHRONIZED);
        // Root distance: root delay / 2 + root dispersion + ...; MAXDIST is 1.5 s.
        assertThat(check.rejection(with(1, Leap.NONE, 2_000 * MS, 498 * MS))).isNull();
        assertThat(check.rejection(with(1, Leap.NONE, 2_000 * MS, 501 * MS)).kind()).isEqualTo(Kind.ROOT_DISTANCE);
        assertThat(check.rejection(Synthetic.silent("127.0.0.1")).kind()).isEqualTo(Kind.UNREACHABLE);
    }

    @Test
    void noPathSelectsAServerWithAnAbsurdRootDistance() throws Exception {
        try (ScriptedNtpServer absurd = server(1, ABSURD, AHEAD);
             ScriptedNtpServer honest = server(2, 0x10, 0)) {
            ServerAddress bad = new ServerAddress("127.0.0.1", absurd.port());
            ServerAddress good = new ServerAddress("127.0.0.1", honest.port());
            ProbeRunner runner = new ProbeRunner(QUICK, TimeSource.system(), HostResolver.system(), new SecureRandom());
            Optimizer optimizer = new Optimizer(runner, SelectionPolicy.defaults());

            Decision first = optimizer.run(Optimizer.Strategy.FIRST_REACHABLE, List.of(bad, good), Memo.EMPTY, NOW);
            assertThat(first.selection().servers()).containsExactly(good.toString());
            assertThat(first.verdicts()).anySatisfy(v -> {
                assertThat(v.key()).isEqualTo(bad.toString());
                assertThat(v.kind()).isEqualTo(Kind.ROOT_DISTANCE);
                assertThat(v.measurement().estimate().offsetNanos()).isGreaterThan(AHEAD - 1_000 * MS);
            });
            Decision alone = optimizer.run(Optimizer.Strategy.FIRST_REACHABLE, List.of(bad), Memo.EMPTY, NOW);
            assertThat(alone.hasSelection()).isFalse();
            assertThat(optimizer.run(Optimizer.Strategy.BEST, List.of(bad), Memo.EMPTY, NOW).hasSelection()).isFalse();

            TimeSync library = TimeSync.builder().servers(List.of(bad)).probeOptions(QUICK).build();
            assertThat(library.measure()).isEmpty();
        }
    }

    /** A server of {@code stratum} with root delay and dispersion {@code root} (NTP short format), {@code ahead} ns ahead. */
    private static ScriptedNtpServer server(int stratum, int root, long ahead) throws Exception {
        return new ScriptedNtpServer(Loopback.ipv4(), (n, request, client, socket) -> ScriptedNtpServer.send(socket,
                ScriptedNtpServer.reply(request, NtpTimestamp.fromUnixNanos(TimeSource.system().wallClockNanos() + ahead),
                        stratum, root, root), client));
    }
}
