package io.timesync.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.timesync.memo.JsonMemoStore;
import io.timesync.testing.ArchitectureRules;
import io.timesync.testing.ModuleArchitecture;

/**
 * The application layer holds the rules every module holds: its packages form no cycle, and it reads
 * no clock, opens no socket, starts no process and asks for no OS name except in the platform factory.
 */
class AppArchitectureTest extends ModuleArchitecture {

    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf(JsonMemoStore.class);

    @Override
    protected JavaClasses main() {
        return MAIN;
    }
}
