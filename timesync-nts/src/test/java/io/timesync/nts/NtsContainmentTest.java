package io.timesync.nts;

import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.probe.HostResolver;
import io.timesync.probe.ProbeRunner;
import io.timesync.testing.ChronyNtsExtension;
import io.timesync.testing.FakeTime;
import io.timesync.testing.Loopback;
import io.timesync.testing.SlowTcpRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A slow or broken NTS server fails itself only: key establishment through a real chronyd's NTS-KE
 * port behind a box that releases one byte every 2 s ends at its deadline, a run with such a server
 * still measures the honest one on time, and a session that breaks the exchange is dropped.
 */
class NtsContainmentTest {

    private static final Duration TRICKLE = Duration.ofSeconds(2);
    private static final Duration KE_DEADLINE = NtsKeClient.DEFAULT_DEADLINE;
    // Generous for a loaded machine, and far below what the trickle takes: a handshake of some 2 KB at
    // one byte every 2 s is over an hour.
    private static final Duration SLACK = Duration.ofSeconds(3);

    @RegisterExtension
    static final ChronyNtsExtension nts = new ChronyNtsExtension(8);

    @TempDir
    Path temp;

    private static NtsTrust trust() {
        return NtsTrust.fromFile(nts.pki().caCertificate());
    }

    private static NtsClient client(HostResolver resolver, NtsSessionStore store) {
        return new NtsClient(new NtsKeClient(trust(), KE_DEADLINE), resolver, TimeSource.system(), new SecureRandom(),
                store, NtsClient.DEFAULT_SESSION_LIFETIME);
    }

    private static SlowTcpRelay slowKe() throws Exception {
        return new SlowTcpRelay(new InetSocketAddress(Loopback.ipv4(), nts.ntsPort()), TRICKLE);
    }

    @Test
    void keyEstablishmentThroughATricklingBoxEndsAtItsDeadline() throws Exception {
        try (SlowTcpRelay slow = slowKe()) {
            NtsKeClient client = new NtsKeClient(trust(), KE_DEADLINE);
            long start = System.nanoTime();
            NtsKeException e = catchThrowableOfType(
                    () -> client.establish(new ServerAddress("localhost", slow.port()), Loopback.ipv4()), NtsKeException.class);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(NtsKeException.Reason.TIMEOUT);
            assertThat(e.getMessage()).contains("localhost:" + slow.port(), "within the deadline of 5000 ms",
                    "connection, TLS handshake and records");
            assertThat(took).isBetween(KE_DEADLINE.minusMillis(100), KE_DEADLINE.plus(SLACK));
            // The box did pass the server's bytes, each within any per-read timeout: only a deadline ends this.
            assertThat(slow.released()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void theSameRelayWithoutTheDelayPassesKeyEstablishment() throws Exception {
        try (SlowTcpRelay relay = new SlowTcpRelay(new InetSocketAddress(Loopback.ipv4(), nts.ntsPort()), Duration.ZERO)) {
            NtsKeResult result = new NtsKeClient(trust(), KE_DEADLINE)
                    .establish(new ServerAddress("localhost", relay.port()), Loopback.ipv4());
            assertThat(result.response().cookies()).isNotEmpty();
        }
    }

    @Test
    void oneDeadlineCoversEveryAddressOfTheServer() throws Exception {
        try (SlowTcpRelay slow = slowKe()) {
            // Two addresses, both behind the same trickling box: together they get one deadline, not one each.
            HostResolver twice = host -> new InetAddress[] {Loopback.ipv4(), Loopback.ipv4()};
            long start = System.nanoTime();
            Measurement m = client(twice, null).probe(new ServerAddress("localhost", slow.port()),
                    ProbeOptions.defaults().withSamples(1)).measure();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(m.answered()).isFalse();
            assertThat(m.error()).startsWith("NTS key establishment failed [timeout]: ");
            assertThat(took).isLessThan(KE_DEADLINE.plus(SLACK));
        }
    }

    @Test
    void aFailedKeyEstablishmentIsNotTriedAgainWithinAMinute() throws Exception {
        FakeTime time = new FakeTime();
        NtsClient client = new NtsClient(new NtsKeClient(trust(), KE_DEADLINE), HostResolver.system(), time,
                new SecureRandom(), null, NtsClient.DEFAULT_SESSION_LIFETIME);
        ServerAddress dead = new ServerAddress("127.0.0.1", Loopback.freeTcpPort());
        ProbeOptions one = ProbeOptions.defaults().withSamples(1);

        Measurement first = client.probe(dead, one).measure();
        time.monotonic += 10 * 1_000_000_000L;
        Measurement soon = client.probe(dead, one).measure();
        time.monotonic += NtsClient.RETRY_AFTER_FAILURE.toNanos();
        Measurement later = client.probe(dead, one).measure();

        assertThat(first.error()).startsWith("NTS key establishment failed [connect]: ").doesNotContain("ago");
        assertThat(soon.error()).startsWith("NTS key establishment failed [connect]: ")
                .endsWith("(10 s ago; tried again 64 s after the failure)");
        assertThat(later.error()).startsWith("NTS key establishment failed [connect]: ").doesNotContain("ago");
    }

    @Test
    void aRunWithATricklingNtsServerMeasuresTheHonestOneOnTime() throws Exception {
        ProbeOptions options = ProbeOptions.defaults().withSamples(2).withSpacing(Duration.ofMillis(50))
                .withTimeout(Duration.ofMillis(500));
        try (SlowTcpRelay slow = slowKe()) {
            NtsClient client = client(HostResolver.system(), null);
            ProbeRunner runner = new ProbeRunner(options, TimeSource.system(), HostResolver.system(), new SecureRandom());
            ServerAddress honest = new ServerAddress("127.0.0.1", nts.server().port());
            long start = System.nanoTime();
            List<Measurement> results = runner.probe(List.of(honest), key -> false,
                    List.of(client.probe(new ServerAddress("localhost", slow.port()), options),
                            client.probe(ServerAddress.parse(nts.keServer(), NtsKeClient.DEFAULT_PORT), options)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(results).hasSize(3);
            assertThat(results.get(0).answered()).as("%s", results.get(0)).isTrue();
            assertThat(results.get(1).answered()).isFalse();
            assertThat(results.get(1).server().port()).isEqualTo(slow.port());
            assertThat(results.get(1).error()).startsWith("NTS key establishment failed [timeout]: ")
                    .contains("within the deadline of 5000 ms");
            assertThat(results.get(2).authenticated()).as("%s", results.get(2)).isTrue();
            assertThat(took).isLessThan(ProbeRunner.deadline(options, KE_DEADLINE, 3).plus(SLACK));
        }
    }

    @Test
    void aSessionThatBreaksTheExchangeFailsItsServerOnlyAndIsDropped() throws Exception {
        ProbeOptions options = ProbeOptions.defaults().withSamples(2).withSpacing(Duration.ofMillis(50))
                .withTimeout(Duration.ofMillis(500));
        ServerAddress keServer = ServerAddress.parse(nts.keServer(), NtsKeClient.DEFAULT_PORT);
        // A session file whose cookie is larger than any request can carry (written by a bug, or by hand).
        NtsSessionStore store = new NtsSessionStore(temp.resolve("nts-sessions.json"));
        byte[] key = new byte[32];
        store.save(List.of(new NtsSession(keServer, new InetSocketAddress(Loopback.ipv4(), nts.server().port()), key, key,
                List.of(new byte[8192]), TimeSource.system().wallClockNanos())));
        NtsClient client = client(HostResolver.system(), store);
        ProbeRunner runner = new ProbeRunner(options, TimeSource.system(), HostResolver.system(), new SecureRandom());
        ServerAddress honest = new ServerAddress("127.0.0.1", nts.server().port());

        List<Measurement> first = runner.probe(List.of(honest), key2 -> false, List.of(client.probe(keServer, options)));

        assertThat(first.get(0).answered()).as("%s", first.get(0)).isTrue();
        assertThat(first.get(1).answered()).isFalse();
        assertThat(first.get(1).error()).contains("NTS session with " + keServer + " is unusable",
                "keys are established again next time");
        assertThat(store.load()).isEmpty();

        Measurement again = runner.measure(List.of(client.probe(keServer, options))).get(0);
        assertThat(again.authenticated()).as("%s", again).isTrue();
    }
}
