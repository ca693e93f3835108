package io.timesync.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The rules every module's main code holds, as tests a module's architecture test inherits: no package
 * cycle, no clock read outside the time source, no socket outside probing and NTS, no process started
 * outside the command runner, no OS name asked for outside the platform factory. A subclass gives its
 * module's classes and adds the rules of its own (its package order).
 */
public abstract class ModuleArchitecture {

    /** The module's main classes, imported once per test class ({@link ArchitectureRules#mainClassesOf}). */
    protected abstract JavaClasses main();

    @Test
    public void packagesFormNoCycle() {
        ArchitectureRules.noPackageCycles().check(main());
    }

    @Test
    public void onlyTheTimeSourceReadsTheClock() {
        ArchitectureRules.noClockReadsOutsideTheTimeSource().check(main());
    }

    @Test
    public void onlyProbingAndNtsOpenSockets() {
        ArchitectureRules.noSocketsOutsideProbingAndNts().check(main());
    }

    @Test
    public void onlyTheCommandRunnerStartsProcesses() {
        ArchitectureRules.noProcessStartsOutsideTheCommandRunner().check(main());
    }

    @Test
    public void onlyThePlatformFactoryAsksForTheOsName() {
        ArchitectureRules.noOsNameOutsideThePlatformFactory().check(main());
    }
}
