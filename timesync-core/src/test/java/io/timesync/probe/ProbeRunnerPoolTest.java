package io.timesync.probe;

import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.testing.ChronyExtension;
import io.timesync.testing.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The threads of a runner's runs, against a real chronyd: runs share a bounded pool of named daemon
 * threads, and closing the runner ends them.
 */
class ProbeRunnerPoolTest {

    @RegisterExtension
    static final ChronyExtension CHRONY = new ChronyExtension(8);

    private static final ProbeOptions QUICK = ProbeOptions.defaults().withSamples(1).withTimeout(Duration.ofMillis(500))
            .withConcurrency(3);

    /** The system resolver, noting every thread a lookup ran on. */
    private static final class Noting implements HostResolver {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            threads.add(Thread.currentThread());
            return HostResolver.system().resolve(host);
        }
    }

    @Test
    void runsShareTheRunnersThreadsUpToItsConcurrency() throws Exception {
        Noting resolver = new Noting();
        Ahead time = new Ahead();
        ServerAddress chrony = new ServerAddress("127.0.0.1", CHRONY.server().port());
        try (ProbeRunner runner = new ProbeRunner(QUICK, time, resolver, new SecureRandom())) {
            for (int run = 0; run < 10; run++) {
                // Each run's lookup a thread's task: its address is no longer kept.
                time.aheadNanos += ProbeRunner.RESOLVE_AGAIN.toNanos();
                List<Measurement> results = runner.probe(List.of(chrony, chrony));
                assertThat(results).allSatisfy(m -> assertThat(m.answered()).as("%s", m).isTrue());
            }
        }
        // 20 lookups, on threads a pool made for each run would never share.
        assertThat(resolver.threads).hasSizeBetween(1, QUICK.concurrency());
        assertThat(resolver.threads).allSatisfy(t -> {
            assertThat(t.getName()).startsWith("timesync-probe-");
            assertThat(t.isDaemon()).isTrue();
        });
    }

    /** The system's clocks, with monotonic time a test moves ahead between runs. */
    private static final class Ahead implements TimeSource {
        volatile long aheadNanos;

        @Override
        public long wallClockNanos() {
            return TimeSource.system().wallClockNanos();
        }

        @Override
        public long monotonicNanos() {
            return TimeSource.system().monotonicNanos() + aheadNanos;
        }
    }

    @Test
    void aNameIsLookedUpAgainOnlyOnceItsAddressesAreOlderThanTheirTime() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver counting = host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {Loopback.ipv4()};
        };
        Ahead time = new Ahead();
        ServerAddress chrony = new ServerAddress("chrony.test", CHRONY.server().port());
        try (ProbeRunner runner = new ProbeRunner(QUICK, time, counting, new SecureRandom())) {
            for (int run = 0; run < 3; run++) {
                assertThat(runner.probe(List.of(chrony))).allSatisfy(m -> assertThat(m.answered()).as("%s", m).isTrue());
            }
            assertThat(lookups).hasValue(1);

            time.aheadNanos = ProbeRunner.RESOLVE_AGAIN.toNanos();
            assertThat(runner.probe(List.of(chrony))).allSatisfy(m -> assertThat(m.answered()).as("%s", m).isTrue());
            assertThat(lookups).hasValue(2);
        }
    }

    @Test
    void closingTheRunnerEndsItsThreadsAndItsRuns() throws Exception {
        Noting resolver = new Noting();
        ServerAddress chrony = new ServerAddress("127.0.0.1", CHRONY.server().port());
        ProbeRunner runner = new ProbeRunner(QUICK, TimeSource.system(), resolver, new SecureRandom());
        assertThat(runner.probe(List.of(chrony)).get(0).answered()).isTrue();

        runner.close();

        for (Thread thread : resolver.threads) {
            thread.join(Duration.ofSeconds(10).toMillis());
            assertThat(thread.isAlive()).as("%s after close", thread).isFalse();
        }
        assertThatThrownBy(() -> runner.probe(List.of(chrony)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the probe runner is closed");
    }
}
