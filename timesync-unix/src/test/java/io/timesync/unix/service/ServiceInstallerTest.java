package io.timesync.unix.service;

import io.timesync.correct.Plan;
import io.timesync.correct.ProcessCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Service files, and installing them in a copy of a system with the real systemd-analyze and systemctl. */
class ServiceInstallerTest {

    private static final List<String> COMMAND = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", "/opt/timesync/timesync.jar", "sync", "--mode", "fast");

    @TempDir
    Path root;

    @Test
    void systemdServiceAndTimerAreExact() {
        assertThat(ServiceFiles.systemdService(List.of("/usr/bin/timesync", "sync", "--mode", "lazy"))).isEqualTo("""
                # Installed by TimeSync ('timesync service uninstall' removes it).
                [Unit]
                Description=TimeSync: select time servers and correct the clock through the time service
                Wants=network-online.target
                After=network-online.target chrony.service ntpsec.service ntp.service systemd-timesyncd.service

                [Service]
                Type=oneshot
                ExecStart=/usr/bin/timesync sync --mode lazy
                Nice=5

                """);
        assertThat(ServiceFiles.systemdTimer(Duration.ofMinutes(30))).contains("OnUnitActiveSec=1800s\n")
                .contains("RandomizedDelaySec=300s\n").contains("OnBootSec=60s\n").contains("WantedBy=timers.target\n");
        assertThat(ServiceFiles.systemdTimer(Duration.ofSeconds(60))).contains("RandomizedDelaySec=15s\n");
    }

    @Test
    void cronEntriesSpreadAcrossTheHour() {
        assertThat(ServiceFiles.cronEntry(List.of("/usr/bin/timesync", "sync"), Duration.ofMinutes(30), 7))
                .endsWith("7,37 * * * * root /usr/bin/timesync sync\n").contains("PATH=/usr/sbin:/usr/bin:/sbin:/bin\n");
        assertThat(ServiceFiles.cronEntry(List.of("/usr/bin/timesync", "sync"), Duration.ofSeconds(60), 7))
                .endsWith("* * * * * root /usr/bin/timesync sync\n");
        assertThat(ServiceFiles.cronEntry(List.of("/usr/bin/timesync"), Duration.ofMinutes(15), 20))
                .endsWith("5,20,35,50 * * * * root /usr/bin/timesync\n");
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceFiles.cronEntry(List.of("/t"), Duration.ofMinutes(7), 0))
                .withMessageContaining("divides an hour");
    }

    @Test
    void launchdPlistCarriesTheArgumentsOneByOne() {
        assertThat(ServiceFiles.launchdPlist(List.of("/usr/local/bin/timesync", "sync"), Duration.ofMinutes(30)))
                .contains("<string>/usr/local/bin/timesync</string>\n    <string>sync</string>")
                .contains("<key>StartInterval</key>\n  <integer>1800</integer>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/java", "/opt/time sync/java", "/opt/x;rm", "/opt/$(id)", "/opt/`id`", "/opt/a\nb",
        "/opt/\"q\""})
    void commandsThatWouldReadDifferentlyAreRefused(String program) {
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceFiles.checkCommand(List.of(program, "sync")));
    }

    @Test
    void installsVerifiesAndEnablesWithSystemdThenUninstalls() throws Exception {
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        ServiceInstaller installer = new ServiceInstaller(root, new ProcessCommandRunner());
        Plan plan = installer.install(COMMAND, Duration.ofSeconds(60), 0);
        assertThat(plan.service()).isEqualTo("systemd");
        assertThat(plan.steps()).hasSize(4);
        assertThat(((Plan.RunCommand) plan.steps().get(2)).argv()).containsExactly("systemd-analyze", "verify",
                "--man=no", units.resolve("timesync.service").toString(), units.resolve("timesync.timer").toString());
        assertThat(((Plan.RunCommand) plan.steps().get(3)).argv()).containsExactly("systemctl", "--root=" + root,
                "enable", "timesync.timer");

        installer.apply(plan);
        assertThat(units.resolve("timesync.service")).content().contains("ExecStart=" + String.join(" ", COMMAND));
        assertThat(Files.isSymbolicLink(units.resolve("timers.target.wants/timesync.timer"))).isTrue();

        installer.apply(installer.uninstall());
        assertThat(units.resolve("timesync.service")).doesNotExist();
        assertThat(units.resolve("timesync.timer")).doesNotExist();
        assertThat(units.resolve("timers.target.wants/timesync.timer")).doesNotExist();
    }

    @Test
    void aUnitThatSystemdRejectsIsRemovedAgain() throws Exception {
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        ServiceInstaller installer = new ServiceInstaller(root, new ProcessCommandRunner());
        Plan plan = installer.install(List.of("/nonexistent/timesync", "sync"), Duration.ofSeconds(60), 0);
        assertThatThrownBy(() -> installer.apply(plan)).isInstanceOf(IOException.class)
                .hasMessageContaining("systemd-analyze verify").hasMessageContaining("is not executable");
        assertThat(units.resolve("timesync.service")).doesNotExist();
        assertThat(units.resolve("timesync.timer")).doesNotExist();
    }

    @Test
    void cronWhereThereIsNoSystemd() throws Exception {
        Files.createDirectories(root.resolve("etc/cron.d"));
        ServiceInstaller installer = new ServiceInstaller(root, new ProcessCommandRunner());
        Plan plan = installer.install(COMMAND, Duration.ofMinutes(30), 11);
        assertThat(plan.service()).isEqualTo("cron");
        installer.apply(plan);
        assertThat(root.resolve("etc/cron.d/timesync")).content().endsWith("11,41 * * * * root " + String.join(" ", COMMAND) + "\n");
        installer.apply(installer.uninstall());
        assertThat(root.resolve("etc/cron.d/timesync")).doesNotExist();
    }

    @Test
    void cronWhereSystemdIsInstalledButIsNotPid1() throws Exception {
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.createDirectories(root.resolve("etc/cron.d"));
        Files.createDirectories(root.resolve("proc/1"));
        Files.writeString(root.resolve("proc/1/comm"), "bash\n");
        Plan plan = new ServiceInstaller(root, new ProcessCommandRunner()).install(COMMAND, Duration.ofMinutes(30), 11);
        assertThat(plan.service()).isEqualTo("cron");
        assertThat(plan.steps()).noneMatch(step -> step instanceof Plan.RunCommand);
    }

    @Test
    void launchdOnMacOs() throws Exception {
        Files.createDirectories(root.resolve("Library/LaunchDaemons"));
        ServiceInstaller installer = new ServiceInstaller(root, new ProcessCommandRunner());
        Plan plan = installer.install(COMMAND, Duration.ofMinutes(30), 0);
        assertThat(plan.steps()).singleElement().isInstanceOf(Plan.WriteFile.class);
        installer.apply(plan);
        assertThat(root.resolve("Library/LaunchDaemons/io.timesync.sync.plist")).content().contains("<key>Label</key>");
    }

    @Test
    void noSchedulerIsAClearError() {
        assertThatThrownBy(() -> new ServiceInstaller(root, new ProcessCommandRunner()).install(COMMAND, Duration.ofMinutes(1), 0))
                .isInstanceOf(IOException.class).hasMessageContaining("no scheduler found under " + root);
    }
}
