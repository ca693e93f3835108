package io.timesync.probe;

import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.Sample;
import io.timesync.time.SampleFailure;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.ntp.Leap;
import io.timesync.testing.ChronyExtension;
import io.timesync.testing.Loopback;
import io.timesync.testing.OffsetBound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe against a real chronyd on loopback. */
class UdpProbeChronyTest {

    private static final long MILLISECOND = 1_000_000L;
    private static final int STRATUM = 7;

    @RegisterExtension
    static final ChronyExtension CHRONY = new ChronyExtension(STRATUM);

    private final ProbeOptions options = ProbeOptions.defaults().withSpacing(Duration.ofMillis(20)).withTimeout(Duration.ofSeconds(1));

    private Measurement probe(InetAddress address, TimeSource time) throws InterruptedException {
        ServerAddress server = new ServerAddress(address.getHostAddress(), CHRONY.server().port());
        return new UdpProbe(server, new InetSocketAddress(address, CHRONY.server().port()), options, time, new SecureRandom()).measure();
    }

    private void assertGoodLoopbackMeasurement(Measurement m) {
        assertThat(m.error()).as(CHRONY.server().log()).isNull();
        assertThat(m.sent()).isEqualTo(4);
        assertThat(m.reach()).isEqualTo(0b1111);
        assertThat(m.samples()).hasSize(4);
        assertThat(m.failures()).isEmpty();
        // chronyd reads the clock we read: every offset within half its round trip plus the precisions.
        OffsetBound.assertWithin(m, 0);
        // The reported error bound contains the truth, and is at least the physical bound.
        assertThat(Math.abs(m.estimate().offsetNanos())).isLessThanOrEqualTo(m.estimate().errorBoundNanos());
        assertThat(m.estimate().errorBoundNanos()).isGreaterThanOrEqualTo(
                OffsetBound.nanos(m.estimate().delayNanos(), m.estimate().best().precision()));
        assertThat(m.estimate().delayNanos()).isPositive().isLessThan(options.timeout().toNanos());
        assertThat(m.estimate().jitterNanos()).isNotNegative();
        for (Sample s : m.samples()) {
            assertThat(s.stratum()).isEqualTo(STRATUM);
            assertThat(s.leap()).isEqualTo(Leap.NONE);
            assertThat(s.precision()).isEqualTo(CHRONY.server().precision());
            assertThat(s.delayNanos()).isPositive();
            assertThat(s.t4UnixNanos()).isGreaterThan(s.t1UnixNanos());
        }
    }

    @Test
    void measuresChronyOverIpv4WithinHalfTheRoundTrip() throws Exception {
        Measurement m = probe(Loopback.ipv4(), TimeSource.system());
        assertGoodLoopbackMeasurement(m);
        assertThat(m.address()).isEqualTo("127.0.0.1");
        assertThat(m.port()).isEqualTo(CHRONY.server().port());
        assertThat(m.estimate().best().referenceIdText()).isEqualTo("127.127.1.1");
    }

    @Test
    void measuresChronyOverIpv6WithinHalfTheRoundTrip() throws Exception {
        Loopback.requireIpv6();
        assertThat(CHRONY.server().servesIpv6()).isTrue();
        Measurement m = probe(Loopback.ipv6(), TimeSource.system());
        assertGoodLoopbackMeasurement(m);
        assertThat(m.address()).isEqualTo("::1");
    }

    @Test
    void offsetFollowsTheLocalClockPassedIn() throws Exception {
        long tenSeconds = 10_000_000_000L;
        TimeSource slowClock = new TimeSource() {
            @Override
            public long wallClockNanos() {
                return TimeSource.system().wallClockNanos() - tenSeconds;
            }

            @Override
            public long monotonicNanos() {
                return System.nanoTime();
            }
        };
        Measurement m = probe(Loopback.ipv4(), slowClock);
        assertThat(m.error()).as(CHRONY.server().log()).isNull();
        OffsetBound.assertWithin(m, tenSeconds);
        assertThat(m.estimate().delayNanos()).isPositive().isLessThan(options.timeout().toNanos());
    }

    @Test
    void aWallClockStepDuringTheExchangeDoesNotCorruptTheDelay() throws Exception {
        // The wall clock jumps an hour ahead after every read: T4 must still come from the monotonic clock.
        AtomicLong jumps = new AtomicLong();
        TimeSource jumpy = new TimeSource() {
            @Override
            public long wallClockNanos() {
                return TimeSource.system().wallClockNanos() + jumps.getAndIncrement() * 3_600_000_000_000L;
            }

            @Override
            public long monotonicNanos() {
                return System.nanoTime();
            }
        };
        Measurement m = probe(Loopback.ipv4(), jumpy);
        // Every exchange is answered; a delay taken from the wall clock would be an hour long.
        assertThat(m.samples()).as("%s", m.failures()).hasSize(options.samples());
        for (Sample s : m.samples()) {
            assertThat(s.delayNanos()).isPositive().isLessThan(options.timeout().toNanos());
        }
    }

    @Test
    void runnerProbesEveryAddressOfAName() throws Exception {
        Loopback.requireIpv6();
        HostResolver dual = host -> {
            if (!host.equals("dual.test")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {Loopback.ipv4(), Loopback.ipv6()};
        };
        ProbeRunner runner = new ProbeRunner(options, TimeSource.system(), dual, new SecureRandom());
        List<Measurement> results = runner.probe(List.of(new ServerAddress("dual.test", CHRONY.server().port()),
                new ServerAddress("missing.test", CHRONY.server().port())));
        assertThat(results).extracting(Measurement::address).containsExactly("127.0.0.1", "::1", null);
        assertGoodLoopbackMeasurement(results.get(0));
        assertGoodLoopbackMeasurement(results.get(1));
        assertThat(results.get(2).answered()).isFalse();
        assertThat(results.get(2).error()).isEqualTo("DNS lookup failed: unknown host 'missing.test'");
    }

    @Test
    void aPortWhereNothingListensEndsTheProbeAtOnceAsPortUnreachable() throws Exception {
        int closed = Loopback.freeUdpPort(false);
        Duration timeout = Duration.ofSeconds(2);
        ProbeOptions four = options.withSamples(4).withTimeout(timeout);
        ServerAddress server = new ServerAddress("127.0.0.1", closed);
        long start = System.nanoTime();
        Measurement m = new UdpProbe(server, new InetSocketAddress(Loopback.ipv4(), closed), four, TimeSource.system(),
                new SecureRandom()).measure();
        long elapsed = System.nanoTime() - start;
        assertThat(m.answered()).isFalse();
        // Like a kiss: the first ICMP port unreachable ends the probing of the address, no more requests.
        assertThat(m.sent()).isEqualTo(1);
        assertThat(m.failures()).singleElement().extracting(SampleFailure::kind).isEqualTo(SampleFailure.Kind.PORT_UNREACHABLE);
        assertThat(m.error()).isEqualTo("port unreachable: nothing listens on UDP port " + closed + " of 127.0.0.1");
        assertThat(m.reach()).isZero();
        // Loopback answers at once; waiting out even one timeout would mean the ICMP was missed.
        assertThat(elapsed).isLessThan(timeout.toNanos());
    }
}
