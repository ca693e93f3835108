package io.timesync.windows;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.timesync.testing.ArchitectureRules;
import io.timesync.testing.ModuleArchitecture;
import org.junit.jupiter.api.Test;

/**
 * The Windows platform's packages depend one way: w32time (its commands, registry values and parsers)
 * at the bottom, then the agent's service installer, then the platform that assembles them. Like
 * every module it reads no clock, opens no socket, starts no process and asks for no OS name by
 * itself.
 */
class WindowsArchitectureTest extends ModuleArchitecture {

    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf(WindowsPlatform.class);

    @Override
    protected JavaClasses main() {
        return MAIN;
    }

    @Test
    void packagesDependOnlyDownwards() {
        ArchitectureRules.dependOnlyDownwards(
                "io.timesync.windows.w32time..",
                "io.timesync.windows.service..",
                "io.timesync.windows").check(MAIN);
    }
}
