package io.timesync.nts;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.timesync.testing.ArchitectureRules;
import io.timesync.testing.ModuleArchitecture;

/**
 * NTS holds the rules every module holds: its packages form no cycle, it reads no clock (the probe is
 * given the time source), starts no process and asks for no OS name; its sockets (NTS-KE over TLS,
 * authenticated NTP) are allowed here.
 */
class NtsArchitectureTest extends ModuleArchitecture {

    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf(NtsSecureProbes.class);

    @Override
    protected JavaClasses main() {
        return MAIN;
    }
}
