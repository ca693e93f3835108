package io.timesync.unix;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.timesync.testing.ArchitectureRules;
import io.timesync.testing.ModuleArchitecture;
import org.junit.jupiter.api.Test;

/**
 * The Unix platform's packages depend one way: the host's files and init system at the bottom, then
 * each time service (chrony, NTPsec, timesyncd), then the detector that finds them, the agent's service
 * installer and the setup of a time service, then the platform that assembles them. Like every module it reads no clock,
 * opens no socket, starts no process and asks for no OS name by itself.
 */
class UnixArchitectureTest extends ModuleArchitecture {

    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf(UnixPlatform.class);

    @Override
    protected JavaClasses main() {
        return MAIN;
    }

    @Test
    void packagesDependOnlyDownwards() {
        ArchitectureRules.dependOnlyDownwards(
                "io.timesync.unix.host..",
                "io.timesync.unix.chrony..",
                "io.timesync.unix.ntpsec..",
                "io.timesync.unix.timesyncd..",
                "io.timesync.unix.detect..",
                "io.timesync.unix.service..",
                "io.timesync.unix.setup..",
                "io.timesync.unix").check(MAIN);
    }
}
