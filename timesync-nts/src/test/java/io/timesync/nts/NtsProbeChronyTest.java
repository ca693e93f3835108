package io.timesync.nts;

import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.Sample;
import io.timesync.time.SampleFailure;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.ntp.KissCode;
import io.timesync.ntp.ReplyStatus;
import io.timesync.probe.HostResolver;
import io.timesync.probe.UdpProbe;
import io.timesync.testing.ChronyNtsExtension;
import io.timesync.testing.Loopback;
import io.timesync.testing.OffsetBound;
import io.timesync.testing.lab.ImpairmentRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** NTS-protected NTP against a real chronyd NTS server on loopback, through honest and hostile paths. */
class NtsProbeChronyTest {

    @RegisterExtension
    static final ChronyNtsExtension nts = new ChronyNtsExtension(8);

    @TempDir
    Path temp;

    private static final ProbeOptions FOUR = ProbeOptions.defaults().withSpacing(Duration.ofMillis(50))
            .withTimeout(Duration.ofMillis(500));

    private static ServerAddress keServer() {
        return ServerAddress.parse(nts.keServer(), NtsKeClient.DEFAULT_PORT);
    }

    private static NtsClient client(NtsSessionStore store) {
        return new NtsClient(new NtsKeClient(NtsTrust.fromFile(nts.pki().caCertificate()), Duration.ofSeconds(5)),
                HostResolver.system(), TimeSource.system(), new SecureRandom(), store, NtsClient.DEFAULT_SESSION_LIFETIME);
    }

    private static NtsSession freshSession(InetSocketAddress target) throws Exception {
        NtsKeResult ke = new NtsKeClient(NtsTrust.fromFile(nts.pki().caCertificate()), Duration.ofSeconds(5))
                .establish(keServer(), Loopback.ipv4());
        return new NtsSession(keServer(), target, ke.c2sKey(), ke.s2cKey(), ke.response().cookies(),
                TimeSource.system().wallClockNanos());
    }

    private static InetSocketAddress chronyNtp() {
        return new InetSocketAddress(Loopback.ipv4(), nts.server().port());
    }

    private static Measurement probeThrough(NtsSession session, InetSocketAddress target, ProbeOptions options)
            throws InterruptedException {
        return new UdpProbe(keServer(), target, options, TimeSource.system(), new SecureRandom(),
                new NtsExchange(session, new SecureRandom())).measure();
    }

    @Test
    void measuresAuthenticatedTimeWithinHalfTheRoundTrip() throws Exception {
        NtsClient client = client(null);
        Measurement m = client.probe(keServer(), FOUR).measure();

        assertThat(m.error()).as("%s%n%s", m.failures(), nts.server().log()).isNull();
        assertThat(m.authenticated()).isTrue();
        assertThat(m.samples()).hasSize(4);
        assertThat(m.port()).isEqualTo(nts.server().port());
        assertThat(m.server()).isEqualTo(keServer());
        // chronyd reads the clock we read: the estimate and each sample within half its round trip
        // plus the precisions, however long a busy machine made that round trip.
        OffsetBound.assertWithin(m, 0);
        for (Sample s : m.samples()) {
            assertThat(s.delayNanos()).isPositive().isLessThan(FOUR.timeout().toNanos());
            assertThat(s.stratum()).isEqualTo(nts.server().stratum());
        }
        // Each reply refilled the jar: still 8 cookies after 4 requests.
        assertThat(client.session(keServer()).cookieCount()).isEqualTo(NtsSession.JAR_SIZE);
    }

    @Test
    void aSessionIsReusedAcrossProbesAndEveryCookieIsSentOnce() throws Exception {
        NtsClient client = client(null);
        client.probe(keServer(), FOUR.withSamples(1)).measure();
        NtsSession session = client.session(keServer());
        List<byte[]> seen = new ArrayList<>(session.cookies());

        Measurement again = client.probe(keServer(), FOUR.withSamples(3)).measure();

        assertThat(again.authenticated()).isTrue();
        assertThat(client.session(keServer())).isSameAs(session);
        List<byte[]> now = session.cookies();
        assertThat(now).hasSize(NtsSession.JAR_SIZE);
        // The 3 oldest were spent; none of the fresh ones is one already held before.
        for (byte[] fresh : now.subList(NtsSession.JAR_SIZE - 3, NtsSession.JAR_SIZE)) {
            assertThat(seen).noneSatisfy(old -> assertThat(old).isEqualTo(fresh));
        }
    }

    @Test
    void aReplyWithOneFlippedBitIsRejectedAsUnauthenticated() throws Exception {
        NtsSession session = freshSession(chronyNtp());
        // Flip the lowest bit of the transmit timestamp: 233 ps of time shift, and not one more.
        try (ImpairmentRelay relay = ImpairmentRelay.tampering(chronyNtp(), reply -> {
            reply[47] ^= 1;
            return reply;
        })) {
            Measurement m = probeThrough(session, relay.address(), FOUR.withSamples(2));

            assertThat(relay.toClient().sent()).isEqualTo(2);
            assertThat(m.answered()).isFalse();
            assertThat(m.authenticated()).isFalse();
            assertThat(m.failures()).hasSize(2).allSatisfy(f -> {
                assertThat(f.kind()).isEqualTo(SampleFailure.Kind.BAD_REPLY);
                assertThat(f.status()).isEqualTo(ReplyStatus.NTS_AUTHENTICATION_FAILED);
            });
            assertThat(m.error()).contains("NTS authentication failed");
        }
    }

    @Test
    void aFlippedBitInTheEncryptedCookiesIsRejectedToo() throws Exception {
        NtsSession session = freshSession(chronyNtp());
        try (ImpairmentRelay relay = ImpairmentRelay.tampering(chronyNtp(), reply -> {
            reply[reply.length - 5] ^= 0x10;
            return reply;
        })) {
            Measurement m = probeThrough(session, relay.address(), FOUR.withSamples(1));
            assertThat(m.failures()).singleElement()
                    .satisfies(f -> assertThat(f.status()).isEqualTo(ReplyStatus.NTS_AUTHENTICATION_FAILED));
            // Nothing from the forged reply entered the jar: the one cookie sent is gone.
            assertThat(session.cookieCount()).isEqualTo(NtsSession.JAR_SIZE - 1);
        }
    }

    @Test
    void aReplayedReplyIsRejected() throws Exception {
        NtsSession session = freshSession(chronyNtp());
        AtomicReference<byte[]> first = new AtomicReference<>();
        // The attacker lets the first reply through, then answers every later request with it.
        try (ImpairmentRelay relay = ImpairmentRelay.tampering(chronyNtp(), reply -> {
            if (first.compareAndSet(null, reply.clone())) {
                return reply;
            }
            return first.get().clone();
        })) {
            Measurement m = probeThrough(session, relay.address(), FOUR.withSamples(3));

            assertThat(m.samples()).hasSize(1);
            assertThat(m.failures()).hasSize(2).allSatisfy(
                    f -> assertThat(f.status()).isEqualTo(ReplyStatus.NTS_UNIQUE_IDENTIFIER_MISMATCH));
        }
    }

    @Test
    void aPlainNtpServerCannotPassAsNts() throws Exception {
        NtsSession session = freshSession(chronyNtp());
        // Strip every extension field: a valid plain NTP reply, but nothing proves who sent it.
        try (ImpairmentRelay relay = ImpairmentRelay.tampering(chronyNtp(), reply -> Arrays.copyOf(reply, 48))) {
            Measurement m = probeThrough(session, relay.address(), FOUR.withSamples(1));
            assertThat(m.failures()).singleElement()
                    .satisfies(f -> assertThat(f.status()).isEqualTo(ReplyStatus.NTS_NO_UNIQUE_IDENTIFIER));
        }
    }

    @Test
    void aCookieTheServerCannotReadGetsANakThatEndsTheSession() throws Exception {
        NtsSession good = freshSession(chronyNtp());
        List<byte[]> spoiled = new ArrayList<>();
        for (byte[] cookie : good.cookies()) {
            byte[] c = cookie.clone();
            c[c.length - 1] ^= 1;
            spoiled.add(c);
        }
        NtsSession session = new NtsSession(keServer(), chronyNtp(), good.c2sKey(), good.s2cKey(), spoiled,
                good.establishedUnixNanos());

        Measurement m = probeThrough(session, chronyNtp(), FOUR.withSamples(2));

        assertThat(m.failures()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(SampleFailure.Kind.KISS_OF_DEATH);
            assertThat(f.kissCode()).isEqualTo(KissCode.NTSN);
        });
        assertThat(session.rejected()).isTrue();
        assertThat(session.cookieCount()).isZero();
    }

    @Test
    void sessionsPersistOwnerOnlyAndANakMakesTheClientEstablishKeysAgain() throws Exception {
        Path file = temp.resolve("state").resolve("nts-sessions.json");
        NtsSessionStore store = new NtsSessionStore(file);
        Measurement first = client(store).probe(keServer(), FOUR.withSamples(1)).measure();
        assertThat(first.authenticated()).isTrue();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        // A new client (a later run) picks the session up without key establishment.
        NtsClient later = client(store);
        NtsSession loaded = later.session(keServer());
        assertThat(loaded.cookieCount()).isEqualTo(NtsSession.JAR_SIZE);
        long established = loaded.establishedUnixNanos();
        assertThat(later.probe(keServer(), FOUR.withSamples(1)).measure().authenticated()).isTrue();
        assertThat(later.session(keServer()).establishedUnixNanos()).isEqualTo(established);

        // Spoil every stored cookie: the server NAKs, the client establishes keys again and measures.
        String json = Files.readString(file);
        for (byte[] cookie : later.session(keServer()).cookies()) {
            String b64 = Base64.getEncoder().encodeToString(cookie);
            byte[] spoiled = cookie.clone();
            spoiled[spoiled.length - 1] ^= 1;
            json = json.replace(b64, Base64.getEncoder().encodeToString(spoiled));
        }
        Files.writeString(file, json);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        NtsClient afterSpoil = client(store);
        Measurement m = afterSpoil.probe(keServer(), FOUR.withSamples(2)).measure();
        assertThat(m.authenticated()).as("%s", m).isTrue();
        assertThat(afterSpoil.session(keServer()).establishedUnixNanos()).isGreaterThan(established);
    }

    @Test
    void aSessionsFileOthersCanReadIsIgnored() throws Exception {
        Path file = temp.resolve("nts-sessions.json");
        NtsSessionStore store = new NtsSessionStore(file);
        client(store).probe(keServer(), FOUR.withSamples(1)).measure();
        assertThat(store.load()).hasSize(1);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(store.load()).isEmpty();
        Files.writeString(file, "{ not json");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(store.load()).isEmpty();
    }

    @Test
    void keyEstablishmentMovesOnToTheNextAddressWhenOneRefusesTheConnection() throws Exception {
        // localhost as a name with two addresses: nothing listens on the first.
        HostResolver twoAddresses = host -> new InetAddress[] {
            InetAddress.getByName("127.0.0.2"), Loopback.ipv4()};
        NtsClient client = new NtsClient(new NtsKeClient(NtsTrust.fromFile(nts.pki().caCertificate()), Duration.ofSeconds(5)),
                twoAddresses, TimeSource.system(), new SecureRandom(), null, NtsClient.DEFAULT_SESSION_LIFETIME);
        Measurement m = client.probe(keServer(), FOUR.withSamples(1)).measure();
        assertThat(m.authenticated()).as("%s", m).isTrue();
        assertThat(m.address()).isEqualTo("127.0.0.1");
    }

    @Test
    void worksOverIpv6() throws Exception {
        Loopback.requireIpv6();
        HostResolver v6 = host -> new InetAddress[] {Loopback.ipv6()};
        NtsClient client = new NtsClient(new NtsKeClient(NtsTrust.fromFile(nts.pki().caCertificate()), Duration.ofSeconds(5)),
                v6, TimeSource.system(), new SecureRandom(), null, NtsClient.DEFAULT_SESSION_LIFETIME);
        Measurement m = client.probe(keServer(), FOUR.withSamples(2)).measure();
        assertThat(m.authenticated()).as("%s", m).isTrue();
        assertThat(m.address()).isEqualTo("::1");
        OffsetBound.assertWithin(m, 0);
    }

    @Test
    void theLibraryTrustsOnlyTheJdkStoreUnlessToldOtherwise() throws Exception {
        Measurement untrusted = io.timesync.api.TimeSync.builder().ntsServers(nts.keServer())
                .probeOptions(FOUR.withSamples(1)).build().probe().get(0);
        assertThat(untrusted.server()).isEqualTo(keServer());
        assertThat(untrusted.authenticated()).isFalse();
        assertThat(untrusted.error()).contains("not trusted");

        Measurement trusted = io.timesync.api.TimeSync.builder().ntsServers(nts.keServer())
                .ntsTrust(nts.pki().caCertificate()).probeOptions(FOUR.withSamples(2)).build().probe().get(0);
        assertThat(trusted.authenticated()).as("%s", trusted).isTrue();
        OffsetBound.assertWithin(trusted, 0);
    }

    @Test
    void anUntrustedServerGivesAMeasurementThatNamesTheReason() throws Exception {
        NtsClient client = new NtsClient(new NtsKeClient(NtsTrust.system(), Duration.ofSeconds(5)),
                HostResolver.system(), TimeSource.system(), new SecureRandom(), null, NtsClient.DEFAULT_SESSION_LIFETIME);
        Measurement m = client.probe(keServer(), FOUR).measure();
        assertThat(m.answered()).isFalse();
        assertThat(m.authenticated()).isFalse();
        assertThat(m.sent()).isZero();
        assertThat(m.error()).startsWith("NTS key establishment failed [untrusted_certificate]: ").contains("not trusted");
    }
}
