package io.timesync.api;

import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.Sample;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.testing.ChronyServer;
import io.timesync.testing.Loopback;
import io.timesync.testing.OffsetBound;
import io.timesync.testing.ScriptedNtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** The embedding API against real servers on loopback: a chronyd serving shifted time, and scripted ones. */
class NtpClockTest {

    static final ProbeOptions QUICK = ProbeOptions.defaults().withSamples(3).withSpacing(Duration.ofMillis(20))
            .withTimeout(Duration.ofMillis(300));

    @Test
    void theClockReadsTheShiftedServersTimeWithinHalfTheRoundTrip(@TempDir Path dir) throws Exception {
        try (ChronyServer ahead = ChronyServer.start(dir, ChronyServer.Spec.shifted(2, "+90s"))) {
            TimeSync ts = TimeSync.builder().servers(ahead.ipv4Server()).probeOptions(QUICK).build();
            try (NtpClock clock = ts.clock()) {
                long start = System.nanoTime();
                clock.refresh();
                assertThat(clock.isSynchronized()).isTrue();
                long ninetySeconds = 90_000_000_000L;
                List<Sample> window = primarySamples(clock);
                OffsetBound.assertWithin(clock.offsetNanos(), window, ninetySeconds, "the clock's offset");
                long bound = OffsetBound.nanos(window);
                Instant before = Instant.now();
                Instant read = clock.instant();
                Instant after = Instant.now();
                assertThat(read).isBetween(before.plusSeconds(90).minusNanos(bound), after.plusSeconds(90).plusNanos(bound));
                // The bound it states holds the true offset, and is its one server's, aged by at most this test's time.
                long stated = clock.errorBoundNanos();
                OffsetBound.assertErrorBound(clock.offsetNanos(), stated, window, ninetySeconds, System.nanoTime() - start,
                        "the clock");
                assertThat(clock.estimate().orElseThrow().errorBoundNanos()).isLessThanOrEqualTo(stated);
                assertThat(clock.estimate()).get().satisfies(e -> {
                    assertThat(e.server()).isEqualTo(ahead.ipv4Server());
                    assertThat(e.stratum()).isEqualTo(2);
                });
                long millis = clock.millis();
                assertThat(millis).isBetween(read.toEpochMilli(), clock.instant().toEpochMilli());
                // A zone view shares the offset.
                Clock berlin = clock.withZone(ZoneId.of("Europe/Berlin"));
                Instant first = clock.instant();
                Instant zoned = berlin.instant();
                assertThat(zoned).isBetween(first, clock.instant());
            }
        }
    }

    @Test
    void theEstimatesBoundHoldsAFollowersShiftWithItsRootDelayAndDispersion(@TempDir Path dir) throws Exception {
        try (ChronyServer honest = ChronyServer.start(dir, 1);
             ChronyServer ahead = ChronyServer.start(dir, ChronyServer.Spec.follower(honest.port(), 1, 0.25))) {
            for (ChronyServer server : List.of(honest, ahead)) {
                long truth = server == honest ? 0 : 250_000_000L;
                long start = System.nanoTime();
                TimeEstimate e = TimeSync.builder().servers(server.ipv4Server()).probeOptions(QUICK).build().measure()
                        .orElseThrow();
                long took = System.nanoTime() - start;
                List<Sample> window = e.measurements().get(0).samples();
                // One server: the estimate's bound is its own, aged to the estimate, never the root distance's 5 ms.
                OffsetBound.assertErrorBound(e.offsetNanos(), e.errorBoundNanos(), window, truth, took, server.ipv4Server());
                assertThat(e.measurements().get(0).estimate().rootDistanceNanos())
                        .isGreaterThanOrEqualTo(Sample.MIN_DISPERSION_NANOS / 2);
            }
        }
    }

    /** The least-delay sample of the clock's primary server, which bounds the clock's offset. */
    private static List<Sample> primarySamples(NtpClock clock) {
        TimeEstimate e = clock.estimate().orElseThrow();
        return e.measurements().stream().filter(m -> m.key().equals(e.server())).findFirst().orElseThrow().samples();
    }

    /** Scripted servers serving the local time plus an offset each; they can fall silent together. */
    static final class Servers implements AutoCloseable {
        final AtomicBoolean silent = new AtomicBoolean();
        final List<ScriptedNtpServer> list = new ArrayList<>();
        final long[] offsets;

        Servers(long... offsets) throws Exception {
            this.offsets = offsets.clone();
            for (long o : offsets) {
                list.add(new ScriptedNtpServer(Loopback.ipv4(), (i, request, client, socket) -> {
                    if (!silent.get()) {
                        ScriptedNtpServer.send(socket, ScriptedNtpServer.reply(request,
                                NtpTimestamp.fromUnixNanos(TimeSource.system().wallClockNanos() + o)), client);
                    }
                }));
            }
        }

        long offsetOf(int port) {
            return offsets[list.stream().map(ScriptedNtpServer::port).toList().indexOf(port)];
        }

        String[] names() {
            return list.stream().map(s -> "127.0.0.1:" + s.port()).toArray(String[]::new);
        }

        @Override
        public void close() throws Exception {
            for (ScriptedNtpServer s : list) {
                s.close();
            }
        }
    }

    /** The system's clocks, with a monotonic clock the test can move forward. */
    static final class Ageing implements TimeSource {
        final AtomicLong added = new AtomicLong();

        @Override
        public long wallClockNanos() {
            return TimeSource.system().wallClockNanos();
        }

        @Override
        public long monotonicNanos() {
            return System.nanoTime() + added.get();
        }
    }

    @Test
    void measureSelectsAndCombinesAndNamesEveryServer() throws Exception {
        try (Servers servers = new Servers(20_000_000, 21_000_000, 22_000_000)) {
            TimeEstimate e = TimeSync.builder().servers(servers.names()).probeOptions(QUICK).build().measure().orElseThrow();
            // The combination lies within the servers' offsets, each widened by its own bound.
            long low = Long.MAX_VALUE;
            long high = Long.MIN_VALUE;
            for (Measurement m : e.measurements()) {
                long served = servers.offsetOf(m.port());
                OffsetBound.assertWithin(m, served);
                long bound = OffsetBound.nanos(m.samples());
                low = Math.min(low, served - bound);
                high = Math.max(high, served + bound);
            }
            assertThat(e.offsetNanos()).isBetween(low, high);
            assertThat(e.selected()).isNotEmpty().contains(e.server());
            assertThat(e.measurements()).hasSize(3);
            assertThat(e.errorBoundNanos()).isPositive();
        }
    }

    @Test
    void withoutAnswersTheClockIsUsableAtOnceAsTheSystemClockAndSaysSo() throws Exception {
        try (Servers servers = new Servers(50_000_000)) {
            servers.silent.set(true);
            // A request that waits out a 10 s timeout: a first measurement in the caller's thread could
            // not return before 10 s.
            ProbeOptions slow = ProbeOptions.defaults().withSamples(1).withTimeout(Duration.ofSeconds(10));
            TimeSync ts = TimeSync.builder().servers(servers.names()).probeOptions(slow).build();
            long start = System.nanoTime();
            try (NtpClock clock = ts.clock()) {
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("clock() returns without measuring")
                        .isLessThan(Duration.ofSeconds(5));
                assertThat(clock.isSynchronized()).isFalse();
                assertThat(clock.offsetNanos()).isZero();
                assertThat(clock.errorBoundNanos()).isEqualTo(Long.MAX_VALUE);
                assertThat(clock.estimate()).isEmpty();
                Instant before = Instant.now();
                Instant read = clock.instant();
                assertThat(read).isBetween(before, Instant.now());
            }
        }
    }

    @Test
    void theLastOffsetIsHeldOverWithAGrowingBoundThenDropped() throws Exception {
        Ageing time = new Ageing();
        try (Servers servers = new Servers(50_000_000)) {
            TimeSync ts = TimeSync.builder().servers(servers.names()).probeOptions(QUICK).timeSource(time)
                    .holdover(Duration.ofMinutes(15)).build();
            // Refreshed by hand only: a background measurement landing late would reset the age.
            try (NtpClock clock = ts.clock(new DrivenExecutor())) {
                assertThat(clock.isSynchronized()).as("before the first measurement").isFalse();
                clock.refresh();
                OffsetBound.assertWithin(clock.offsetNanos(), primarySamples(clock), 50_000_000L, "the clock's offset");
                long held = clock.offsetNanos();
                long bound = clock.errorBoundNanos();
                servers.silent.set(true);

                time.added.addAndGet(Duration.ofMinutes(10).toNanos());
                clock.refresh();
                assertThat(clock.isSynchronized()).isTrue();
                assertThat(clock.offsetNanos()).isEqualTo(held);
                // 10 minutes at 15 ppm: 9 ms more.
                assertThat(clock.errorBoundNanos() - bound).isCloseTo(9_000_000L, offset(100_000L));

                time.added.addAndGet(Duration.ofMinutes(6).toNanos());
                clock.refresh();
                assertThat(clock.isSynchronized()).isFalse();
                assertThat(clock.offsetNanos()).isZero();

                servers.silent.set(false);
                clock.refresh();
                assertThat(clock.isSynchronized()).isTrue();
            }
        }
    }

    /** An executor whose periodic task the test runs by hand: it records the task and its delay, and never fires. */
    static final class DrivenExecutor extends ScheduledThreadPoolExecutor {
        volatile Runnable task;
        volatile long initialDelayNanos = -1;
        volatile long delayNanos;

        DrivenExecutor() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            if (task != null) {
                throw new AssertionError("a second periodic task");
            }
            task = command;
            initialDelayNanos = unit.toNanos(initialDelay);
            delayNanos = unit.toNanos(delay);
            return super.schedule(() -> { }, 1, TimeUnit.DAYS);
        }
    }

    @Test
    void theBackgroundRefreshRunsEvery64SecondsAndPicksUpTheNewOffset() throws Exception {
        AtomicLong served = new AtomicLong(30_000_000);
        ScriptedNtpServer server = new ScriptedNtpServer(Loopback.ipv4(), (i, request, client, socket) ->
                ScriptedNtpServer.send(socket, ScriptedNtpServer.reply(request,
                        NtpTimestamp.fromUnixNanos(TimeSource.system().wallClockNanos() + served.get())), client));
        DrivenExecutor executor = new DrivenExecutor();
        try {
            TimeSync ts = TimeSync.builder().servers("127.0.0.1:" + server.port()).probeOptions(QUICK).build();
            try (NtpClock clock = ts.clock(executor)) {
                // Returned before measuring: the system clock until the first measurement, which is due at once.
                assertThat(server.requests()).isZero();
                assertThat(clock.isSynchronized()).isFalse();
                assertThat(clock.offsetNanos()).isZero();
                assertThat(clock.errorBoundNanos()).isEqualTo(Long.MAX_VALUE);
                assertThat(executor.initialDelayNanos).isZero();
                executor.task.run();
                assertThat(clock.isSynchronized()).isTrue();
                OffsetBound.assertWithin(clock.offsetNanos(), primarySamples(clock), 30_000_000L, "the clock's offset");
                // The public pools' rule, since these servers are not marked as one's own.
                assertThat(Duration.ofNanos(executor.delayNanos)).isEqualTo(Duration.ofSeconds(64));

                served.set(-70_000_000);
                int before = server.requests();
                executor.task.run();
                assertThat(server.requests() - before).isEqualTo(QUICK.samples());
                List<Sample> window = primarySamples(clock);
                OffsetBound.assertWithin(clock.offsetNanos(), window, -70_000_000L, "the clock's offset");
                long bound = OffsetBound.nanos(window);
                Instant readFrom = Instant.now();
                Instant read = clock.instant();
                Instant readTo = Instant.now();
                assertThat(read).isBetween(readFrom.minusMillis(70).minusNanos(bound), readTo.minusMillis(70).plusNanos(bound));
            }
            // Closing the clock stops its refreshing.
            assertThat(executor.isShutdown()).isTrue();
        } finally {
            executor.shutdownNow();
            server.close();
        }
    }

    @Test
    void theBuilderRefusesWhatPoolsForbidAndMissingServers() {
        assertThatThrownBy(() -> TimeSync.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no server");
        assertThatThrownBy(() -> TimeSync.builder().servers("pool.ntp.org").refreshInterval(Duration.ofSeconds(10)).build())
                .hasMessageContaining("at most every 64 s").hasMessageContaining("ownServers(true)");
        assertThat(TimeSync.builder().servers("10.0.0.1").ownServers(true).refreshInterval(Duration.ofSeconds(1)).build()
                .servers()).containsExactly(new ServerAddress("10.0.0.1", 123));
        assertThatThrownBy(() -> TimeSync.builder().servers("bad host;rm")).isInstanceOf(IllegalArgumentException.class);
    }
}
