package io.timesync.unix.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The init system from PID 1 and the runtime directories under a root, as setup, service and doctor see it. */
class InitSystemTest {

    @TempDir
    Path root;

    private void pid1(String comm) throws Exception {
        Files.createDirectories(root.resolve("proc/1"));
        Files.writeString(root.resolve("proc/1/comm"), comm + "\n");
    }

    private void file(String path) throws Exception {
        Path file = RootPath.under(root, path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "");
    }

    @Test
    void systemdIsPid1WithItsRuntimeDirectory() throws Exception {
        pid1("systemd");
        Files.createDirectories(root.resolve("run/systemd/system"));
        assertThat(InitSystem.detect(root)).isEqualTo(InitSystem.SYSTEMD);
        assertThat(InitSystem.describe(root)).isEqualTo("systemd");
    }

    @Test
    void anInstalledSystemctlIsNotARunningSystemd() throws Exception {
        // A container: systemd's files are installed, but PID 1 is something else.
        pid1("process_api");
        file("/usr/bin/systemctl");
        Files.createDirectories(root.resolve("etc/systemd/system"));
        assertThat(InitSystem.detect(root)).isEqualTo(InitSystem.NONE);
        assertThat(InitSystem.describe(root)).isEqualTo("none (PID 1 is process_api)");
        assertThat(InitSystem.pid1(root)).contains("process_api");
    }

    @Test
    void systemdNamedInitCountsButNotWithoutItsRuntimeDirectory() throws Exception {
        pid1("init");
        assertThat(InitSystem.detect(root)).isEqualTo(InitSystem.NONE);
        Files.createDirectories(root.resolve("run/systemd/system"));
        assertThat(InitSystem.detect(root)).isEqualTo(InitSystem.SYSTEMD);
        pid1("bash");
        assertThat(InitSystem.detect(root)).isEqualTo(InitSystem.NONE);
    }

    @Test
    void openrcByItsRuntimeDirectory() throws Exception {
        pid1("init");
        file("/sbin/rc-service");
        assertThat(InitSystem.detect(root)).isEqualTo(InitSystem.NONE);
        Files.createDirectories(root.resolve("run/openrc"));
        assertThat(InitSystem.detect(root)).isEqualTo(InitSystem.OPENRC);
        assertThat(InitSystem.describe(root)).isEqualTo("openrc (PID 1 is init)");
    }

    @Test
    void aTreeNothingRunsFromIsJudgedByWhatIsInstalled() throws Exception {
        assertThat(InitSystem.pid1(root)).isEmpty();
        assertThat(InitSystem.detect(root)).isEqualTo(InitSystem.NONE);
        file("/sbin/rc-service");
        assertThat(InitSystem.detect(root)).isEqualTo(InitSystem.OPENRC);
        file("/usr/bin/systemctl");
        assertThat(InitSystem.detect(root)).isEqualTo(InitSystem.SYSTEMD);
    }

    @Test
    void thisMachineByItsPid1() throws Exception {
        Path real = Path.of("/");
        boolean systemdRuns = InitSystem.pid1(real).filter(n -> n.equals("systemd") || n.equals("init")).isPresent()
                && Files.isDirectory(Path.of("/run/systemd/system"));
        assertThat(InitSystem.detect(real) == InitSystem.SYSTEMD).as(InitSystem.describe(real)).isEqualTo(systemdRuns);
    }
}
