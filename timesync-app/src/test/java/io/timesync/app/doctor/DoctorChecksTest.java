package io.timesync.app.doctor;

import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.time.Sample;
import io.timesync.time.SampleFailure;
import io.timesync.time.ServerAddress;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.ntp.KissCode;
import io.timesync.ntp.Leap;
import io.timesync.unix.Firewalls;
import io.timesync.unix.host.InitSystem;
import io.timesync.unix.UnixDiagnostics;
import io.timesync.unix.detect.TimeServiceDetector;
import io.timesync.unix.detect.TimeServiceDetector.Found;
import io.timesync.unix.detect.TimeServiceDetector.Service;
import io.timesync.unix.chrony.ChronyTracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Each doctor check on recorded tool outputs and on measurements as the probe makes them. */
class DoctorChecksTest {

    private static final CorrectionPolicy POLICY = CorrectionPolicy.defaults();

    static String recorded(String name) {
        try (InputStream in = DoctorChecksTest.class.getResourceAsStream("/doctor/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded output " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // The platform's findings as the doctor reports them.
    private static Check timeService(List<Found> all, InitSystem init) {
        return Check.of(UnixDiagnostics.timeService(all, init));
    }

    private static Check synchronised(Optional<Found> service, String timedatectl, String init) {
        return Check.of(UnixDiagnostics.synchronised(service, timedatectl, init));
    }

    private static ChronyTracking tracking(String name) {
        return ChronyTracking.parse(recorded(name));
    }

    private static Found chrony(ChronyTracking tracking) {
        return new Found(Service.CHRONY, true, true, "chronyd answers (/etc/chrony/chrony.conf)", tracking);
    }

    private static Found absent(Service service) {
        return new Found(service, false, false, "not there", null);
    }

    private static Measurement answered(String address, long offsetNanos, Leap leap) {
        Sample s = new Sample(1L, 0L, 0L, 2L, offsetNanos, 100_000L, 2, leap, -20, 6, 1_000L, 1_000L, 0x7F000001);
        return new Measurement(new ServerAddress(address, 123), address, 123, 2, 3, List.of(s), List.of(),
                new Estimate(s, offsetNanos, 100_000L, 0L, 1), null);
    }

    private static Measurement silent(String address, SampleFailure failure) {
        return new Measurement(new ServerAddress(address, 123), address, 123, 2, 0, List.of(), List.of(failure, failure),
                null, "no reply: " + failure.detail());
    }

    private static DoctorChecks.Lookup lookup(String host, String... addresses) {
        return new DoctorChecks.Lookup(new ServerAddress(host, 123), List.of(addresses), null);
    }

    private static DoctorChecks.Lookup unresolved(String host) {
        return new DoctorChecks.Lookup(new ServerAddress(host, 123), List.of(), "'" + host + "' does not resolve");
    }

    @Test
    void privilegesPassAsRootOrUnderAnotherRootAndWarnOtherwise() {
        assertThat(DoctorChecks.privileges(true, true).status()).isEqualTo(Check.Status.PASS);
        assertThat(DoctorChecks.privileges(false, false).status()).isEqualTo(Check.Status.PASS);
        Check user = DoctorChecks.privileges(true, false);
        assertThat(user.status()).isEqualTo(Check.Status.WARN);
        assertThat(user.fix()).contains("sudo timesync sync");
    }

    @Test
    void timeServiceActiveInstalledOrMissing() {
        Check active = timeService(List.of(chrony(tracking("tracking-synchronised.csv")), absent(Service.NTPD)),
                InitSystem.SYSTEMD);
        assertThat(active.status()).isEqualTo(Check.Status.PASS);
        assertThat(active.detail()).startsWith("chrony is active");

        List<Found> chronyStopped = List.of(new Found(Service.CHRONY, true, false,
                "chronyd does not answer: 506 Cannot talk to daemon", null), absent(Service.NTPD), absent(Service.TIMESYNCD));
        Check stopped = timeService(chronyStopped, InitSystem.SYSTEMD);
        assertThat(stopped.status()).isEqualTo(Check.Status.FAIL);
        assertThat(stopped.cause()).isEqualTo(Check.Cause.NO_SERVER);
        assertThat(stopped.detail()).contains("506 Cannot talk to daemon");
        assertThat(stopped.fix()).contains("timesync setup").contains("systemctl enable --now chrony");
        // The fix starts the service the way the init system that runs does, and names no systemctl without systemd.
        assertThat(timeService(chronyStopped, InitSystem.OPENRC).fix())
                .contains("'rc-update add chrony default' and 'rc-service chrony start'");
        assertThat(timeService(chronyStopped, InitSystem.NONE).fix())
                .startsWith("start it the way this system starts daemons").doesNotContain("systemctl");

        Check timesyncd = timeService(List.of(absent(Service.CHRONY), absent(Service.NTPD),
                new Found(Service.TIMESYNCD, true, false, "systemd-timesyncd is not active", null)), InitSystem.SYSTEMD);
        assertThat(timesyncd.fix()).contains("systemctl enable --now systemd-timesyncd");

        Check none = timeService(List.of(absent(Service.CHRONY), absent(Service.NTPD), absent(Service.TIMESYNCD)),
                InitSystem.SYSTEMD);
        assertThat(none.status()).isEqualTo(Check.Status.FAIL);
        assertThat(none.fix()).contains("timesync setup");
    }

    private static CommandRunner.Result ran(List<String> argv, int exitCode, String stdout, String stderr) {
        return new CommandRunner.Result(argv, exitCode, stdout, stderr);
    }

    @Test
    void anActiveNtpdIsFoundFromNtpqsRecordedSystemVariables() {
        Path conf = Path.of("/etc/ntpsec/ntp.conf");
        List<String> rv = List.of("ntpq", "-c", "rv");
        Found running = TimeServiceDetector.ntpd(conf, ran(rv, 0, recorded("ntpq-rv-running.txt"), ""));
        Check active = timeService(List.of(absent(Service.CHRONY), running, absent(Service.TIMESYNCD)), InitSystem.SYSTEMD);
        assertThat(active.status()).isEqualTo(Check.Status.PASS);
        assertThat(active.detail()).isEqualTo("ntpd is active: ntpd answers (/etc/ntpsec/ntp.conf)");

        // NTPsec's ntpq exits 0 when nothing answers; only its stderr says so.
        Found silent = TimeServiceDetector.ntpd(conf, ran(rv, 0, "", recorded("ntpq-rv-not-running.stderr")));
        Check stopped = timeService(List.of(absent(Service.CHRONY), silent, absent(Service.TIMESYNCD)), InitSystem.SYSTEMD);
        assertThat(stopped.status()).isEqualTo(Check.Status.FAIL);
        assertThat(stopped.cause()).isEqualTo(Check.Cause.NO_SERVER);
        assertThat(stopped.detail()).isEqualTo("ntpd is installed but not running: ntpd does not answer (/etc/ntpsec/ntp.conf)");
        assertThat(stopped.fix()).contains("systemctl enable --now ntpsec");
        assertThat(TimeServiceDetector.ntpd(conf, null).active()).as("ntpq not installed").isFalse();
    }

    @Test
    void anActiveTimesyncdIsFoundFromSystemctlAndSynchronisedFromTimedatectl() {
        Path unit = Path.of("/lib/systemd/system/systemd-timesyncd.service");
        List<String> isActive = List.of("systemctl", "is-active", "systemd-timesyncd");
        Found running = TimeServiceDetector.timesyncd(unit, ran(isActive, 0, recorded("systemctl-is-active-active.txt"), ""));
        Check active = timeService(List.of(absent(Service.CHRONY), absent(Service.NTPD), running), InitSystem.SYSTEMD);
        assertThat(active.status()).isEqualTo(Check.Status.PASS);
        assertThat(active.detail()).isEqualTo("systemd-timesyncd is active: systemd-timesyncd is active");
        Check synced = synchronised(Optional.of(running), recorded("timedatectl-show-synchronized.txt"), "systemd");
        assertThat(synced.status()).isEqualTo(Check.Status.PASS);
        assertThat(synced.detail()).isEqualTo("timedatectl: NTPSynchronized=yes (the kernel's clock is disciplined)");
        assertThat(synchronised(Optional.of(running), recorded("timedatectl-show-unsynchronized.txt"), "systemd").status())
                .isEqualTo(Check.Status.WARN);

        // systemctl is-active exits 3 for a unit that is not active, and 1 where systemd is not PID 1.
        Found inactive = TimeServiceDetector.timesyncd(unit, ran(isActive, 3, recorded("systemctl-is-active-inactive.txt"), ""));
        Found noSystemd = TimeServiceDetector.timesyncd(unit, ran(isActive, 1, "", recorded("systemctl-is-active-no-systemd.stderr")));
        for (Found f : List.of(inactive, noSystemd)) {
            Check stopped = timeService(List.of(absent(Service.CHRONY), absent(Service.NTPD), f), InitSystem.SYSTEMD);
            assertThat(stopped.status()).isEqualTo(Check.Status.FAIL);
            assertThat(stopped.detail()).isEqualTo("systemd-timesyncd is installed but not running: systemd-timesyncd is not"
                    + " active (/lib/systemd/system/systemd-timesyncd.service)");
            assertThat(stopped.fix()).contains("systemctl enable --now systemd-timesyncd");
        }
    }

    @Test
    void synchronisedFromChronysTrackingFirst() {
        Check synced = synchronised(Optional.of(chrony(tracking("tracking-synchronised.csv"))), null, "systemd");
        assertThat(synced.status()).isEqualTo(Check.Status.PASS);
        assertThat(synced.detail()).isEqualTo("chronyd is synchronised to 127.0.0.1 at stratum 3");

        Check local = synchronised(Optional.of(chrony(tracking("tracking-local-stratum8.csv"))), null, "systemd");
        assertThat(local.detail()).isEqualTo("chronyd is synchronised to its reference at stratum 8");

        Check unsynced = synchronised(Optional.of(chrony(tracking("tracking-unsynchronised.csv"))),
                recorded("timedatectl-show-synchronized.txt"), "systemd");
        assertThat(unsynced.status()).isEqualTo(Check.Status.WARN);
        assertThat(unsynced.fix()).contains("chronyc sources -v");
    }

    @Test
    void synchronisedFromTimedatectlWithoutChrony() {
        Check yes = synchronised(Optional.empty(), recorded("timedatectl-show-synchronized.txt"), "systemd");
        assertThat(yes.status()).isEqualTo(Check.Status.PASS);
        assertThat(yes.detail()).contains("NTPSynchronized=yes");
        Check no = synchronised(Optional.empty(), recorded("timedatectl-show-unsynchronized.txt"), "systemd");
        assertThat(no.status()).isEqualTo(Check.Status.WARN);
        assertThat(no.detail()).isEqualTo("timedatectl: NTPSynchronized=no");
        // Without systemd timedatectl exits 1 and the doctor passes null; an unparsable answer is as good as none.
        Check unknown = synchronised(Optional.empty(), null, "systemd");
        assertThat(unknown.status()).isEqualTo(Check.Status.WARN);
        assertThat(unknown.detail()).startsWith("cannot tell");
        assertThat(synchronised(Optional.empty(), recorded("timedatectl-no-systemd.stderr"), "systemd").detail())
                .startsWith("cannot tell");
        // Where PID 1 is not systemd the doctor does not ask timedatectl, and says why.
        assertThat(synchronised(Optional.empty(), null, "none (PID 1 is bash)").detail())
                .isEqualTo("cannot tell: no chronyd answered and there is no timedatectl to ask without systemd"
                        + " (init: none (PID 1 is bash))");
    }

    @Test
    void dnsPassesWarnsAndFails() {
        assertThat(DoctorChecks.dns(List.of(lookup("127.0.0.1", "127.0.0.1"), lookup("::1", "::1"))).detail())
                .isEqualTo("servers are given as addresses: nothing to look up");
        Check all = DoctorChecks.dns(List.of(lookup("localhost", "127.0.0.1", "::1")));
        assertThat(all.status()).isEqualTo(Check.Status.PASS);
        assertThat(all.detail()).isEqualTo("1 name(s) resolve: localhost -> 127.0.0.1, ::1");

        Check some = DoctorChecks.dns(List.of(lookup("localhost", "127.0.0.1"), unresolved("no-such.invalid")));
        assertThat(some.status()).isEqualTo(Check.Status.WARN);
        assertThat(some.detail()).contains("1 of 2").contains("'no-such.invalid' does not resolve");

        Check none = DoctorChecks.dns(List.of(unresolved("pool.ntp.org"), unresolved("time.cloudflare.com")));
        assertThat(none.status()).isEqualTo(Check.Status.FAIL);
        assertThat(none.cause()).isEqualTo(Check.Cause.NO_SERVER);
        assertThat(none.fix()).contains("/etc/resolv.conf").contains("--server");

        // With an address to fall back on, failing names only warn.
        assertThat(DoctorChecks.dns(List.of(unresolved("pool.ntp.org"), lookup("127.0.0.1", "127.0.0.1"))).status())
                .isEqualTo(Check.Status.WARN);
    }

    @Test
    void ntpPassesWhenAllAnswerAndWarnsWhenSomeDoNot() {
        List<DoctorChecks.Lookup> lookups = List.of(lookup("127.0.0.1", "127.0.0.1"));
        Check all = DoctorChecks.ntp(lookups, List.of(answered("127.0.0.1", 10, Leap.NONE)), List.of());
        assertThat(all.status()).isEqualTo(Check.Status.PASS);
        assertThat(all.detail()).isEqualTo("all 1 address(es) answered: 127.0.0.1:123 stratum 2");

        Check some = DoctorChecks.ntp(lookups, List.of(answered("127.0.0.1", 10, Leap.NONE),
                silent("127.0.0.2", SampleFailure.timeout("no reply within 1000 ms"))), List.of());
        assertThat(some.status()).isEqualTo(Check.Status.WARN);
        assertThat(some.detail()).contains("1 of 2").contains("127.0.0.2:123: no reply");
    }

    @Test
    void timeoutsEverywhereWithDnsWorkingNameTheFirewallPresent(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.writeString(root.resolve("usr/sbin/ufw"), "");
        Files.createDirectories(root.resolve("etc/ufw"));
        Files.writeString(root.resolve("etc/ufw/ufw.conf"), "ENABLED=yes\n");
        List<Firewalls.Firewall> firewalls = new Firewalls(root).detect();
        Check blocked = DoctorChecks.ntp(List.of(lookup("ntp.example.com", "192.0.2.1")),
                List.of(silent("192.0.2.1", SampleFailure.timeout("no reply within 1000 ms"))), firewalls);
        assertThat(blocked.status()).isEqualTo(Check.Status.FAIL);
        assertThat(blocked.cause()).isEqualTo(Check.Cause.NO_SERVER);
        assertThat(blocked.detail()).contains("although DNS works").contains("port 123");
        assertThat(blocked.fix()).startsWith("ufw (enabled): ").contains("ufw allow out 123/udp");

        Check rejected = DoctorChecks.ntp(List.of(lookup("ntp.example.com", "192.0.2.1", "2001:db8::1")),
                List.of(silent("192.0.2.1", SampleFailure.timeout("no reply within 1000 ms")),
                        silent("2001:db8::1", SampleFailure.network("Network is unreachable"))), firewalls);
        assertThat(rejected.status()).isEqualTo(Check.Status.FAIL);
        assertThat(rejected.detail()).contains("probably blocked").contains("Network is unreachable");

        Check noFirewall = DoctorChecks.ntp(List.of(lookup("192.0.2.1", "192.0.2.1")),
                List.of(silent("192.0.2.1", SampleFailure.timeout("no reply"))), List.of());
        assertThat(noFirewall.fix()).contains("no host firewall").contains("ask whoever runs the network");
    }

    @Test
    void aKissOfDeathIsNotAFirewall() {
        Check kod = DoctorChecks.ntp(List.of(lookup("192.0.2.1", "192.0.2.1")),
                List.of(silent("192.0.2.1", SampleFailure.kiss(KissCode.RATE, "RATE"))), List.of());
        assertThat(kod.status()).isEqualTo(Check.Status.FAIL);
        assertThat(kod.detail()).contains("no server gave a usable reply").doesNotContain("firewall");
    }

    @Test
    void ntsRepliesLostAfterKeyEstablishmentPointAtTheNegotiatedUdpPortAndNoFirewallAtTheNetwork() {
        // Key establishment named 192.0.2.1:123; the NTP requests to it timed out.
        Measurement lost = new Measurement(new ServerAddress("nts.example.com", 4460), "192.0.2.1", 123, 2, 0, List.of(),
                List.of(SampleFailure.timeout("no reply within 1000 ms")), null, "no reply: no reply within 1000 ms");
        Check check = DoctorChecks.nts(List.of(lost), false, List.of());
        assertThat(check.status()).isEqualTo(Check.Status.FAIL);
        assertThat(check.cause()).isEqualTo(Check.Cause.NO_SERVER);
        assertThat(check.detail()).contains("key establishment worked", "UDP to port 123");
        assertThat(check.fix()).contains("no host firewall", "whether NTP (UDP 123) may leave it");

        Measurement refused = new Measurement(new ServerAddress("nts.example.com", 4460), null, 4460, 0, 0, List.of(),
                List.of(), null, "NTS key establishment failed [connect]: cannot connect to the NTS-KE server");
        assertThat(DoctorChecks.nts(List.of(refused), false, List.of()).fix())
                .contains("whether NTS key establishment (TCP 4460) may leave it");
        assertThat(DoctorChecks.nts(List.of(), false, List.of()).status()).isEqualTo(Check.Status.SKIP);
        assertThat(DoctorChecks.ntp(List.of(), List.of(), List.of(), true).status()).isEqualTo(Check.Status.SKIP);
    }

    @Test
    void ntpWithoutResolvedServersIsSkippedAndWithoutServersFails() {
        assertThat(DoctorChecks.ntp(List.of(unresolved("pool.ntp.org")), List.of(), List.of()).status())
                .isEqualTo(Check.Status.SKIP);
        assertThat(DoctorChecks.ntp(List.of(), List.of(), List.of()).status()).isEqualTo(Check.Status.FAIL);
    }

    @Test
    void directoriesThatExistOrCanBeCreatedPassAndAFileInTheWayFails(@TempDir Path dir) throws Exception {
        assertThat(DoctorChecks.directory("state-dir", "state", dir, true).detail()).isEqualTo(dir + " is writable");
        Check later = DoctorChecks.directory("state-dir", "state", dir.resolve("a/b"), true);
        assertThat(later.status()).isEqualTo(Check.Status.PASS);
        assertThat(later.detail()).contains("will be created");
        try (var files = Files.list(dir)) {
            assertThat(files).as("the probe file is gone").isEmpty();
        }
        Path file = Files.writeString(dir.resolve("file"), "x");
        Check blocked = DoctorChecks.directory("state-dir", "state", file.resolve("state"), true);
        assertThat(blocked.status()).isEqualTo(Check.Status.FAIL);
        assertThat(blocked.cause()).isEqualTo(Check.Cause.CANNOT_WRITE);
        assertThat(blocked.detail()).isEqualTo(file + " is not a directory");
        Check log = DoctorChecks.directory("log-dir", "log", file.resolve("log"), false);
        assertThat(log.status()).isEqualTo(Check.Status.WARN);
    }

    @Test
    void leapFromChronyOrFromTheServers() {
        Check insert = DoctorChecks.leap(tracking("tracking-leap-insert.csv"), List.of());
        assertThat(insert.status()).isEqualTo(Check.Status.WARN);
        assertThat(insert.detail()).contains("chronyd (insert)");
        assertThat(DoctorChecks.leap(tracking("tracking-synchronised.csv"), List.of()).status()).isEqualTo(Check.Status.PASS);

        Check servers = DoctorChecks.leap(tracking("tracking-unsynchronised.csv"), List.of(answered("127.0.0.1", 0, Leap.NONE),
                answered("127.0.0.2", 0, Leap.DELETE_SECOND)));
        assertThat(servers.status()).isEqualTo(Check.Status.WARN);
        assertThat(servers.detail()).contains("127.0.0.2:123 (delete)");
        assertThat(DoctorChecks.leap(null, List.of(answered("127.0.0.1", 0, Leap.NONE))).detail())
                .contains("from 1 server address(es)");
        assertThat(DoctorChecks.leap(null, List.of()).status()).isEqualTo(Check.Status.SKIP);
    }

    @Test
    void offsetFromChronyOrTheServersMedian() {
        Check small = DoctorChecks.offset(tracking("tracking-synchronised.csv"), List.of(), POLICY);
        assertThat(small.status()).isEqualTo(Check.Status.PASS);
        assertThat(small.detail()).startsWith("the clock is 1.572 us ahead (chronyd's tracking");

        Check fast = DoctorChecks.offset(tracking("tracking-2.5s-fast.csv"), List.of(), POLICY);
        assertThat(fast.status()).isEqualTo(Check.Status.WARN);
        assertThat(fast.detail()).startsWith("the clock is 2.500 s ahead").contains("will be stepped");

        Check median = DoctorChecks.offset(null, List.of(answered("127.0.0.1", 1_000_000L, Leap.NONE),
                answered("127.0.0.2", 200_000_000L, Leap.NONE), answered("127.0.0.3", 300_000_000L, Leap.NONE)), POLICY);
        assertThat(median.status()).isEqualTo(Check.Status.WARN);
        assertThat(median.detail()).startsWith("the clock is 200.000 ms behind (the median of 3");

        Check panic = DoctorChecks.offset(null, List.of(answered("127.0.0.1", 3_600_000_000_000L, Leap.NONE)), POLICY);
        assertThat(panic.detail()).contains("beyond the panic bound");
        assertThat(panic.fix()).contains("--allow-large-step");
        assertThat(DoctorChecks.offset(null, List.of(), POLICY).status()).isEqualTo(Check.Status.SKIP);
    }
}
