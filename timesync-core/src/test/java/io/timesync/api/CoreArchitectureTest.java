package io.timesync.api;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.timesync.testing.ArchitectureRules;
import io.timesync.testing.ModuleArchitecture;
import org.junit.jupiter.api.Test;

/**
 * The library's packages depend one way, from the codec and the values at the bottom to the facade on
 * top, and its code reads no clock, opens no socket outside probing and starts no process outside the
 * command runner.
 */
class CoreArchitectureTest extends ModuleArchitecture {

    private static final JavaClasses CORE = ArchitectureRules.mainClassesOf(TimeSync.class);

    @Override
    protected JavaClasses main() {
        return CORE;
    }

    // The memo's values sit below selection: the Scorer contract reads the history and hysteresis state they carry.
    @Test
    void packagesDependOnlyDownwards() {
        ArchitectureRules.dependOnlyDownwards(
                "io.timesync.text..",
                "io.timesync.ntp..",
                "io.timesync.files..",
                "io.timesync.time..",
                "io.timesync.probe..",
                "io.timesync.memo..",
                "io.timesync.select..",
                "io.timesync.correct..",
                "io.timesync.agent..",
                "io.timesync.platform..",
                "io.timesync.api..").check(CORE);
    }
}
