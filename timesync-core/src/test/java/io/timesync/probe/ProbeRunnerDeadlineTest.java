package io.timesync.probe;

import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.testing.ChronyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's deadline against a real chronyd: a probe that overruns it, or breaks, is recorded as failed
 * with the reason and never awaited, and the other servers' results come back on time.
 */
class ProbeRunnerDeadlineTest {

    @RegisterExtension
    static final ChronyExtension CHRONY = new ChronyExtension(8);

    private static final ProbeOptions QUICK = ProbeOptions.defaults().withSamples(2).withSpacing(Duration.ofMillis(20))
            .withTimeout(Duration.ofMillis(300));
    // Generous for a loaded machine; the stuck probe below would hold a run for a minute.
    private static final Duration SLACK = Duration.ofSeconds(3);

    /** A probe of {@code server} that returns nothing for a minute and shrugs off interrupts: a wedged probe. */
    private static final class Stuck implements Probe {
        final ServerAddress server = new ServerAddress("stuck.test", 4460);
        final CountDownLatch released = new CountDownLatch(1);

        @Override
        public String source() {
            return server + " (stuck)";
        }

        @Override
        public Measurement measure() {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (System.nanoTime() < end) {
                try {
                    if (released.await(end - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    // Wedged: carries on.
                }
            }
            return failed("released");
        }

        @Override
        public Duration setup() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Measurement failed(String error) {
            return new Measurement(server, null, server.port(), 0, 0, List.of(), List.of(), null, error);
        }
    }

    /** A probe that breaks, as one over a corrupt session might. */
    private static final class Broken implements Probe {
        final ServerAddress server = new ServerAddress("broken.test", 4460);

        @Override
        public String source() {
            return server + " (broken)";
        }

        @Override
        public Measurement measure() {
            throw new ArrayIndexOutOfBoundsException("Index 4100 out of bounds for length 4096");
        }

        @Override
        public Measurement failed(String error) {
            return new Measurement(server, null, server.port(), 0, 0, List.of(), List.of(), null, error);
        }
    }

    @Test
    void aProbeThatOverrunsTheRunsDeadlineIsRecordedAsFailedAndNotAwaited() throws Exception {
        Stuck stuck = new Stuck();
        try {
            ProbeRunner runner = new ProbeRunner(QUICK, TimeSource.system(), HostResolver.system(), new SecureRandom());
            Duration deadline = ProbeRunner.deadline(QUICK, stuck.setup(), 2);
            long start = System.nanoTime();
            List<Measurement> results = runner.probe(List.of(new ServerAddress("127.0.0.1", CHRONY.server().port())),
                    key -> false, List.of(stuck));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(results).hasSize(2);
            assertThat(results.get(0).answered()).as("%s", results.get(0)).isTrue();
            assertThat(results.get(1).server()).isEqualTo(stuck.server);
            assertThat(results.get(1).answered()).isFalse();
            assertThat(results.get(1).error()).isEqualTo("no result within the run's deadline of " + deadline.toMillis() + " ms");
            assertThat(took).isBetween(deadline.minusMillis(100), deadline.plus(SLACK));
        } finally {
            stuck.released.countDown();
        }
    }

    @Test
    void aProbeStillRunningPastItsRunDoesNotHoldTheNextRunsOfTheRunner() throws Exception {
        Stuck stuck = new Stuck();
        // One thread more than a run of one server needs (its lookup, then its probe): the stuck probe's.
        ProbeOptions two = QUICK.withConcurrency(2);
        try (ProbeRunner runner = new ProbeRunner(two, TimeSource.system(), HostResolver.system(), new SecureRandom())) {
            ServerAddress chrony = new ServerAddress("127.0.0.1", CHRONY.server().port());
            List<Measurement> first = runner.probe(List.of(chrony), key -> false, List.of(stuck));
            assertThat(first.get(1).answered()).isFalse();

            for (int run = 0; run < 3; run++) {
                List<Measurement> next = runner.probe(List.of(chrony));
                assertThat(next).hasSize(1);
                assertThat(next.get(0).answered()).as("run %d, while the stuck probe still runs: %s", run, next.get(0)).isTrue();
            }
            assertThat(stuck.released.getCount()).as("the stuck probe was never released").isEqualTo(1);
        } finally {
            stuck.released.countDown();
        }
    }

    @Test
    void aProbeThatBreaksFailsItsServerOnly() throws Exception {
        ProbeRunner runner = new ProbeRunner(QUICK, TimeSource.system(), HostResolver.system(), new SecureRandom());
        List<Measurement> results = runner.probe(List.of(new ServerAddress("127.0.0.1", CHRONY.server().port())),
                key -> false, List.of(new Broken()));

        assertThat(results.get(0).answered()).as("%s", results.get(0)).isTrue();
        assertThat(results.get(1).server().host()).isEqualTo("broken.test");
        assertThat(results.get(1).error()).isEqualTo(
                "the probe failed: java.lang.ArrayIndexOutOfBoundsException: Index 4100 out of bounds for length 4096");
    }

    @Test
    void theDeadlineAllowsTheSetupAndEveryRequestOfEachRoundOfProbes() {
        ProbeOptions defaults = ProbeOptions.defaults();
        // 2 s of DNS, then 3 spacings of 2 s and the last request's 1 s timeout.
        assertThat(ProbeRunner.deadline(defaults, Duration.ZERO, 10)).isEqualTo(Duration.ofSeconds(9));
        // Key establishment's 5 s instead of the 2 s for DNS.
        assertThat(ProbeRunner.deadline(defaults, Duration.ofSeconds(5), 10)).isEqualTo(Duration.ofSeconds(12));
        // A timeout longer than the spacing paces the requests.
        assertThat(ProbeRunner.deadline(defaults.withTimeout(Duration.ofSeconds(3)), Duration.ZERO, 1))
                .isEqualTo(Duration.ofSeconds(2 + 3 * 3 + 3));
        // More probes than run at once: one more span of requests per round.
        assertThat(ProbeRunner.deadline(defaults.withConcurrency(4), Duration.ZERO, 9)).isEqualTo(Duration.ofSeconds(2 + 3 * 7));
    }
}
