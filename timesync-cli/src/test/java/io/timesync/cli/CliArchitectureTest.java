package io.timesync.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.timesync.testing.ArchitectureRules;
import io.timesync.testing.ModuleArchitecture;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The CLI holds the rules every module holds: it reads no clock, opens no socket and starts no process
 * by itself, and only {@code Platforms} asks which OS it runs on. Setup and everything Windows go
 * through the {@code Platform}, never through an OS module's classes.
 */
class CliArchitectureTest extends ModuleArchitecture {

    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf(ExitCode.class);

    @Override
    protected JavaClasses main() {
        return MAIN;
    }

    @Test
    void setupAndWindowsAreReachedOnlyThroughThePlatform() {
        noClasses().that().resideInAPackage("io.timesync.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.timesync.unix.setup..", "io.timesync.unix.detect..",
                        "io.timesync.windows..")
                .because("the Platform is the one OS seam: ask it (setup, serviceActive, builtInService answers)")
                .check(MAIN);
    }
}
