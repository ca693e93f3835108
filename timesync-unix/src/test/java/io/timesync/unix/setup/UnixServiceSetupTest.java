package io.timesync.unix.setup;

import io.timesync.agent.Sleeper;
import io.timesync.correct.CommandRunner;
import io.timesync.platform.Host;
import io.timesync.platform.SetupPlan;
import io.timesync.platform.SetupRefusal;
import io.timesync.platform.SetupRequest;
import io.timesync.time.TimeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Setup through the platform's seam, without the CLI: the plan is data, and planning runs no install. */
class UnixServiceSetupTest {

    @TempDir
    Path dir;

    /** Every command the planner runs; each fails as a missing program would, so nothing is found running. */
    private final List<List<String>> ran = new ArrayList<>();

    private final CommandRunner runner = (argv, timeout) -> {
        ran.add(argv);
        return new CommandRunner.Result(argv, 127, "", argv.get(0) + ": not found");
    };

    private UnixServiceSetup setup() {
        TimeSource time = TimeSource.system();
        return new UnixServiceSetup(new Host(runner, time, Sleeper.on(time), Map.of(), dir, false));
    }

    /** A root with this os-release text and these programs in usr/bin. */
    private Path system(String osRelease, String... programs) throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("usr/bin"));
        if (osRelease != null) {
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/os-release"), osRelease);
        }
        for (String p : programs) {
            Files.writeString(root.resolve("usr/bin/" + p), "");
        }
        return root;
    }

    @Test
    void aDebianWithoutTimeServicePlansToInstallChronyWithRootAndRunsNoInstall() throws Exception {
        Path root = system("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n", "apt-get");
        SetupPlan plan = setup().plan(new SetupRequest(root, null, true), "linux");
        assertThat(plan.system()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(plan.packageManager()).isEqualTo("apt-get");
        assertThat(plan.plan().service()).isEqualTo("chrony");
        assertThat(plan.installs()).isTrue();
        assertThat(plan.needsPrivilege()).isTrue();
        assertThat(plan.simulation()).as("apt-get -s is run only on this system, not under another root").isEmpty();
        assertThat(ran).noneMatch(argv -> argv.contains("install"));
    }

    @Test
    void aHomebrewInstallNeedsNoRoot() throws Exception {
        Path root = system(null, "brew");
        SetupPlan plan = setup().plan(new SetupRequest(root, "chrony", true), "macos");
        assertThat(plan.system()).as("no os-release: the platform's name").isEqualTo("macos");
        assertThat(plan.packageManager()).isEqualTo("brew");
        assertThat(plan.installs()).isTrue();
        assertThat(plan.needsPrivilege()).isFalse();
    }

    @Test
    void anUnknownServiceIsABadRequest() throws Exception {
        Path root = system("ID=debian\n", "apt-get");
        assertThatThrownBy(() -> setup().plan(new SetupRequest(root, "w32time", true), "linux"))
                .isInstanceOfSatisfying(SetupRefusal.class, e -> assertThat(e.kind()).isEqualTo(SetupRefusal.Kind.BAD_REQUEST))
                .hasMessageContaining("'w32time' is not a time service TimeSync sets up");
    }

    @Test
    void installingIntoAnotherRootIsABadRequestUnlessDryRun() throws Exception {
        Path root = system("ID=arch\n", "pacman");
        assertThatThrownBy(() -> setup().plan(new SetupRequest(root, null, false), "linux"))
                .isInstanceOfSatisfying(SetupRefusal.class, e -> assertThat(e.kind()).isEqualTo(SetupRefusal.Kind.BAD_REQUEST))
                .hasMessageContaining("cannot be installed into another root");
    }

    @Test
    void noPackageManagerIsUnavailable() throws Exception {
        Path root = system("ID=gentoo\n");
        assertThatThrownBy(() -> setup().plan(new SetupRequest(root, null, true), "linux"))
                .isInstanceOfSatisfying(SetupRefusal.class, e -> assertThat(e.kind()).isEqualTo(SetupRefusal.Kind.UNAVAILABLE))
                .hasMessageContaining("no package manager found");
    }
}
