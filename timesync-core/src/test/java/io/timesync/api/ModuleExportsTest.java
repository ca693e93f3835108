package io.timesync.api;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module exports the embedding API, the values its results carry and their codec to everyone, the
 * probing machinery to the NTS module alone, and requires nothing but SLF4J.
 */
class ModuleExportsTest {

    @Test
    void onlyTheApiItsValuesAndTheCodecAreExported() {
        Module module = TimeSync.class.getModule();
        assertThat(module.isNamed()).as("the tests run on the module path").isTrue();
        assertThat(module.getDescriptor().exports()).filteredOn(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder("io.timesync.api", "io.timesync.time", "io.timesync.ntp");
        assertThat(module.getDescriptor().exports()).filteredOn(ModuleDescriptor.Exports::isQualified)
                .allSatisfy(e -> assertThat(e.targets()).isEqualTo(Set.of("io.timesync.nts")));
    }

    @Test
    void theLibraryRequiresOnlySlf4j() {
        assertThat(TimeSync.class.getModule().getDescriptor().requires()).map(ModuleDescriptor.Requires::name)
                .containsExactlyInAnyOrder("java.base", "org.slf4j");
    }
}
