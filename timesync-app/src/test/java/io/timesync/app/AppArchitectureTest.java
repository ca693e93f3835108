package io.timesync.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.timesync.memo.JsonMemoStore;
import io.timesync.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The application layer holds the rules every module holds: its packages form no cycle, and it reads
 * no clock, opens no socket, starts no process and asks for no OS name except in the platform factory.
 */
class AppArchitectureTest {

    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf(JsonMemoStore.class);

    @Test
    void packagesFormNoCycle() {
        ArchitectureRules.noPackageCycles().check(MAIN);
    }

    @Test
    void onlyTheTimeSourceReadsTheClock() {
        ArchitectureRules.noClockReadsOutsideTheTimeSource().check(MAIN);
    }

    @Test
    void onlyProbingOpensSockets() {
        ArchitectureRules.noSocketsOutsideProbingAndNts().check(MAIN);
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
