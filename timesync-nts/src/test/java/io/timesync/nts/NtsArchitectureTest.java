package io.timesync.nts;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.timesync.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * NTS holds the rules every module holds: its packages form no cycle, it reads no clock (the probe is
 * given the time source), starts no process and asks for no OS name; its sockets (NTS-KE over TLS,
 * authenticated NTP) are allowed here.
 */
class NtsArchitectureTest {

    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf(NtsSecureProbes.class);

    @Test
    void packagesFormNoCycle() {
        ArchitectureRules.noPackageCycles().check(MAIN);
    }

    @Test
    void onlyTheTimeSourceReadsTheClock() {
        ArchitectureRules.noClockReadsOutsideTheTimeSource().check(MAIN);
    }

    @Test
    void onlyTheCommandRunnerStartsProcesses() {
        ArchitectureRules.noProcessStartsOutsideTheCommandRunner().check(MAIN);
    }

    @Test
    void onlyThePlatformFactoryAsksForTheOsName() {
        ArchitectureRules.noOsNameOutsideThePlatformFactory().check(MAIN);
    }
}
