package io.timesync.unix.setup;

import io.timesync.correct.Plan;
import io.timesync.unix.detect.TimeServiceDetector.Found;
import io.timesync.unix.detect.TimeServiceDetector.Service;
import io.timesync.unix.host.InitSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeServiceSetupTest {

    @TempDir
    Path root;

    static OsRelease osRelease(String name) {
        try (InputStream in = TimeServiceSetupTest.class.getResourceAsStream("/os-release/" + name)) {
            return OsRelease.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> argv(Plan.Step step) {
        return ((Plan.RunCommand) step).argv();
    }

    private static List<List<String>> argvs(Plan plan) {
        return plan.steps().stream().map(TimeServiceSetupTest::argv).toList();
    }

    private static List<Found> nothing() {
        return List.of(new Found(Service.CHRONY, false, false, "no chrony.conf", null),
                new Found(Service.NTPD, false, false, "no ntp.conf", null),
                new Found(Service.TIMESYNCD, false, false, "no unit", null));
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @CsvSource({
        "debian-12,          apt-get dpkg,   APT_GET",
        "ubuntu-24.04,       apt-get,        APT_GET",
        "fedora-42,          dnf yum,        DNF",
        "rhel-9.6,           dnf yum,        DNF",
        "rocky-9.3,          dnf,            DNF",
        "almalinux-9.3,      dnf,            DNF",
        "amzn-2023,          dnf,            DNF",
        "amzn-2,             yum,            YUM",
        "opensuse-leap-15.6, zypper rpm,     ZYPPER",
        "alpine-3.23,        apk,            APK",
        "arch,               pacman,         PACMAN",
        // A Debian with Homebrew for Linux: the distribution's own manager wins.
        "debian-12,          brew apt-get,   APT_GET",
    })
    void detectsThePackageManagerFromRealOsReleaseFiles(String file, String programs, PackageManager expected) {
        Set<String> present = Set.of(programs.trim().split("\\s+"));
        OsRelease os = osRelease(file);
        assertThat(TimeServiceSetup.detect(Optional.of(os), present::contains)).contains(expected);
    }

    @Test
    void parsesQuotedValuesAndIdLike() {
        OsRelease rocky = osRelease("rocky-9.3");
        assertThat(rocky.id()).isEqualTo("rocky");
        assertThat(rocky.idLike()).containsExactly("rhel", "centos", "fedora");
        assertThat(rocky.prettyName()).isEqualTo("Rocky Linux 9.3 (Blue Onyx)");
        assertThat(osRelease("debian-12").idLike()).isEmpty();
        assertThat(OsRelease.parse("# c\nID=\"a \\\"b\\\"\"\nX='y z'\nnot a line\n").values())
                .containsEntry("ID", "a \"b\"").containsEntry("X", "y z").hasSize(2);
        assertThat(OsRelease.parse("").id()).isEqualTo("linux");
    }

    @Test
    void withoutOsReleaseTheProgramsDecideAndBrewComesLast() {
        assertThat(TimeServiceSetup.detect(Optional.empty(), Set.of("brew")::contains)).contains(PackageManager.BREW);
        assertThat(TimeServiceSetup.detect(Optional.empty(), Set.of("brew", "zypper")::contains)).contains(PackageManager.ZYPPER);
        assertThat(TimeServiceSetup.detect(Optional.of(OsRelease.parse("ID=gentoo\n")), Set.of("emerge")::contains)).isEmpty();
        // A known distribution whose manager is missing falls back to what is there.
        assertThat(TimeServiceSetup.detect(Optional.of(osRelease("fedora-42")), Set.of("apk")::contains))
                .contains(PackageManager.APK);
    }

    @Test
    void readsOsReleaseFromEtcElseUsrLibUnderTheRoot() throws Exception {
        assertThat(OsRelease.read(root)).isEmpty();
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=fedora\n");
        assertThat(OsRelease.read(root).orElseThrow().id()).isEqualTo("fedora");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\n");
        assertThat(OsRelease.read(root).orElseThrow().id()).isEqualTo("debian");
    }

    @Test
    void exactInstallArgumentListsPerManager() {
        List<String> chrony = List.of("chrony");
        assertThat(PackageManager.APT_GET.refreshArgv()).contains(List.of("apt-get", "update"));
        assertThat(PackageManager.APT_GET.installArgv(chrony)).containsExactly("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "chrony");
        assertThat(PackageManager.DNF.installArgv(chrony)).containsExactly("dnf", "install", "-y", "chrony");
        assertThat(PackageManager.YUM.installArgv(chrony)).containsExactly("yum", "install", "-y", "chrony");
        assertThat(PackageManager.ZYPPER.installArgv(chrony)).containsExactly("zypper", "--non-interactive", "install", "chrony");
        assertThat(PackageManager.APK.installArgv(chrony)).containsExactly("apk", "add", "--update-cache", "chrony");
        assertThat(PackageManager.PACMAN.installArgv(chrony)).containsExactly("pacman", "-S", "--noconfirm", "--needed", "chrony");
        assertThat(PackageManager.BREW.installArgv(chrony)).containsExactly("brew", "install", "chrony");
        for (PackageManager pm : PackageManager.values()) {
            if (pm != PackageManager.APT_GET) {
                assertThat(pm.refreshArgv()).as(pm.name()).isEmpty();
            }
        }
        assertThat(PackageManager.APT_GET.simulateArgv(chrony)).contains(List.of("apt-get", "-s", "install", "chrony"));
        assertThat(PackageManager.ZYPPER.simulateArgv(chrony))
                .contains(List.of("zypper", "--non-interactive", "install", "--dry-run", "chrony"));
        assertThat(PackageManager.APK.simulateArgv(chrony)).contains(List.of("apk", "add", "--simulate", "chrony"));
        assertThat(PackageManager.DNF.simulateArgv(chrony)).isEmpty();
        assertThatThrownBy(() -> PackageManager.APT_GET.installArgv(List.of("chrony; rm -rf /")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a package name");
    }

    @Test
    void nothingInstalledOnDebianInstallsChronyThenEnablesAndStartsIt() throws Exception {
        Plan plan = new TimeServiceSetup(Path.of("/")).plan(null, nothing(), PackageManager.APT_GET, InitSystem.SYSTEMD);
        assertThat(plan.service()).isEqualTo("chrony");
        assertThat(argvs(plan)).containsExactly(List.of("apt-get", "update"), List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "chrony"),
                List.of("systemctl", "enable", "--now", "chrony"));
    }

    @Test
    void onMacOsARunningTimedIsNoReasonToStopChronyBeingSetUp() throws Exception {
        Path empty = Files.createDirectories(root.resolve("mac"));
        List<Found> found = new java.util.ArrayList<>(nothing());
        found.add(new Found(Service.TIMED, true, true, "macOS timed is running", null));
        Plan mac = new TimeServiceSetup(empty).plan(null, found, PackageManager.BREW, InitSystem.NONE);
        assertThat(mac.service()).isEqualTo("chrony");
        assertThat(argvs(mac)).containsExactly(List.of("brew", "install", "chrony"));
        assertThat(mac.reason()).contains("turn macOS timed off ('systemsetup -setusingnetworktime off')");
    }

    @Test
    void fedoraNamesTheUnitChronydAndAlpineStartsItWithOpenRc() throws Exception {
        Path empty = Files.createDirectories(root.resolve("empty"));
        Plan fedora = new TimeServiceSetup(Path.of("/")).plan(null, nothing(), PackageManager.DNF, InitSystem.SYSTEMD);
        assertThat(argvs(fedora)).containsExactly(List.of("dnf", "install", "-y", "chrony"),
                List.of("systemctl", "enable", "--now", "chronyd"));
        Plan alpine = new TimeServiceSetup(Path.of("/")).plan(null, nothing(), PackageManager.APK, InitSystem.OPENRC);
        assertThat(argvs(alpine)).containsExactly(List.of("apk", "add", "--update-cache", "chrony"),
                List.of("rc-update", "add", "chronyd", "default"), List.of("rc-service", "chronyd", "start"));
        Plan mac = new TimeServiceSetup(empty).plan(null, nothing(), PackageManager.BREW, InitSystem.NONE);
        assertThat(argvs(mac)).containsExactly(List.of("brew", "install", "chrony"));
        assertThat(mac.reason()).contains("no init system");
    }

    @Test
    void anInstalledServiceIsOnlyStartedUnderItsInstalledUnitName() throws Exception {
        Files.createDirectories(root.resolve("lib/systemd/system"));
        Files.writeString(root.resolve("lib/systemd/system/chrony.service"), "[Unit]\n");
        List<Found> found = List.of(new Found(Service.CHRONY, true, false, "chronyd does not answer", null),
                new Found(Service.NTPD, false, false, "-", null), new Found(Service.TIMESYNCD, false, false, "-", null));
        // Under another root systemctl works on that tree and starts nothing.
        Plan plan = new TimeServiceSetup(root).plan(null, found, PackageManager.DNF, InitSystem.SYSTEMD);
        assertThat(argvs(plan)).containsExactly(List.of("systemctl", "--root=" + root, "enable", "chrony"));
        assertThat(plan.reason()).contains("installed but not running");
    }

    @Test
    void switchingServicesStopsTheOneThatRuns() throws Exception {
        List<Found> found = List.of(new Found(Service.CHRONY, false, false, "-", null),
                new Found(Service.NTPD, false, false, "-", null),
                new Found(Service.TIMESYNCD, true, true, "systemd-timesyncd is active", null));
        Plan plan = new TimeServiceSetup(Path.of("/")).plan(Service.CHRONY, found, PackageManager.ZYPPER, InitSystem.SYSTEMD);
        assertThat(argvs(plan)).containsExactly(List.of("zypper", "--non-interactive", "install", "chrony"),
                List.of("systemctl", "disable", "--now", "systemd-timesyncd"), List.of("systemctl", "enable", "--now", "chronyd"));
    }

    /**
     * On Debian the time services conflict ({@code apt-get -s install ntpsec} with chrony installed:
     * "The following packages will be REMOVED: chrony"), so chrony's unit is gone once ntpsec is in:
     * it is stopped before the install, and apt-get update still comes first so that a failing
     * refresh leaves it running.
     */
    @Test
    void onDebianTheRunningServiceIsStoppedBeforeTheInstallThatRemovesIt() throws Exception {
        List<Found> chronyRuns = List.of(new Found(Service.CHRONY, true, true, "chronyd answers", null),
                new Found(Service.NTPD, false, false, "-", null), new Found(Service.TIMESYNCD, false, false, "-", null));
        Plan ntpsec = new TimeServiceSetup(Path.of("/")).plan(Service.NTPD, chronyRuns, PackageManager.APT_GET, InitSystem.SYSTEMD);
        assertThat(argvs(ntpsec)).containsExactly(List.of("apt-get", "update"),
                List.of("systemctl", "disable", "--now", "chrony"),
                List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "ntpsec"),
                List.of("systemctl", "enable", "--now", "ntpsec"));
        assertThat(ntpsec.reason()).isEqualTo("install ntpsec with apt-get, then enable and start it; chrony stopped first,"
                + " as installing ntpsec with apt-get removes it (the packages conflict)");

        List<Found> timesyncdRuns = List.of(new Found(Service.CHRONY, false, false, "-", null),
                new Found(Service.NTPD, false, false, "-", null),
                new Found(Service.TIMESYNCD, true, true, "systemd-timesyncd is active", null));
        Plan chrony = new TimeServiceSetup(Path.of("/")).plan(Service.CHRONY, timesyncdRuns, PackageManager.APT_GET, InitSystem.SYSTEMD);
        assertThat(argvs(chrony)).containsExactly(List.of("apt-get", "update"),
                List.of("systemctl", "disable", "--now", "systemd-timesyncd"),
                List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "chrony"),
                List.of("systemctl", "enable", "--now", "chrony"));
        Plan underRoot = new TimeServiceSetup(root).plan(Service.TIMESYNCD, chronyRuns, PackageManager.APT_GET, InitSystem.SYSTEMD);
        assertThat(argvs(underRoot)).containsExactly(List.of("apt-get", "update"),
                List.of("systemctl", "--root=" + root, "disable", "chrony"),
                List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "systemd-timesyncd"),
                List.of("systemctl", "--root=" + root, "enable", "systemd-timesyncd"));
    }

    /** Fedora packages chrony and ntpsec side by side: chronyd keeps the time while ntpsec installs. */
    @Test
    void whereThePackagesCoexistTheRunningServiceIsStoppedAfterTheInstall() throws Exception {
        List<Found> chronyRuns = List.of(new Found(Service.CHRONY, true, true, "chronyd answers", null),
                new Found(Service.NTPD, false, false, "-", null), new Found(Service.TIMESYNCD, false, false, "-", null));
        Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        Files.writeString(root.resolve("usr/lib/systemd/system/chronyd.service"), "[Unit]\n");
        Plan plan = new TimeServiceSetup(root).plan(Service.NTPD, chronyRuns, PackageManager.DNF, InitSystem.SYSTEMD);
        assertThat(argvs(plan)).containsExactly(List.of("dnf", "install", "-y", "ntpsec"),
                List.of("systemctl", "--root=" + root, "disable", "chronyd"),
                List.of("systemctl", "--root=" + root, "enable", "ntpd"));
        assertThat(plan.reason()).isEqualTo("install ntpsec with dnf, then enable and start it");
        for (PackageManager pm : PackageManager.values()) {
            assertThat(pm.replacesOtherTimeServices()).as(pm.name()).isEqualTo(pm == PackageManager.APT_GET);
        }
    }

    @Test
    void anActiveServiceNeedsNothing() throws Exception {
        List<Found> found = List.of(new Found(Service.CHRONY, true, true, "chronyd answers", null));
        Plan plan = new TimeServiceSetup(Path.of("/")).plan(null, found, null, InitSystem.SYSTEMD);
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.reason()).isEqualTo("chrony is installed and active");
    }

    @Test
    void whatCannotBeInstalledSaysWhatToDo() {
        TimeServiceSetup setup = new TimeServiceSetup(Path.of("/"));
        assertThatThrownBy(() -> setup.plan(null, nothing(), null, InitSystem.SYSTEMD))
                .isInstanceOf(TimeServiceSetup.SetupException.class).hasMessageContaining("no package manager found")
                .hasMessageContaining("install chrony by hand");
        assertThatThrownBy(() -> setup.plan(Service.NTPD, nothing(), PackageManager.PACMAN, InitSystem.SYSTEMD))
                .hasMessageContaining("ntpsec is not packaged for pacman").hasMessageContaining("--service chrony");
        assertThatThrownBy(() -> setup.plan(Service.TIMESYNCD, nothing(), PackageManager.DNF, InitSystem.SYSTEMD))
                .hasMessageContaining("comes with systemd");
        List<Found> stopped = List.of(new Found(Service.CHRONY, true, false, "chronyd does not answer", null));
        assertThatThrownBy(() -> setup.plan(null, stopped, PackageManager.BREW, InitSystem.NONE))
                .hasMessageContaining("no init system TimeSync can start it with");
    }

    @Test
    void ntpsecOnDebianAndFedora() throws Exception {
        TimeServiceSetup setup = new TimeServiceSetup(Path.of("/nonexistent-root-for-units"));
        assertThat(argvs(setup.plan(Service.NTPD, nothing(), PackageManager.DNF, InitSystem.SYSTEMD)))
                .containsExactly(List.of("dnf", "install", "-y", "ntpsec"),
                        List.of("systemctl", "--root=/nonexistent-root-for-units", "enable", "ntpd"));
        assertThat(TimeServiceSetup.unitName(Service.NTPD, PackageManager.APT_GET)).isEqualTo("ntpsec");
        assertThat(TimeServiceSetup.packageName(Service.TIMESYNCD, PackageManager.APT_GET)).contains("systemd-timesyncd");
    }

    @Test
    void findsTheInitSystemUnderTheRoot() throws Exception {
        assertThat(new TimeServiceSetup(root).init()).isEqualTo(InitSystem.NONE);
        Files.createDirectories(root.resolve("sbin"));
        Files.writeString(root.resolve("sbin/rc-service"), "");
        assertThat(new TimeServiceSetup(root).init()).isEqualTo(InitSystem.OPENRC);
        Files.createDirectories(root.resolve("run/systemd/system"));
        assertThat(new TimeServiceSetup(root).init()).isEqualTo(InitSystem.SYSTEMD);
    }

    @Test
    void serviceNamesAsTheOptionTakesThem() {
        assertThat(TimeServiceSetup.parseName("chrony")).contains(Service.CHRONY);
        assertThat(TimeServiceSetup.parseName("NTPsec")).contains(Service.NTPD);
        assertThat(TimeServiceSetup.parseName("timesyncd")).contains(Service.TIMESYNCD);
        assertThat(TimeServiceSetup.parseName("w32time")).isEmpty();
    }
}
