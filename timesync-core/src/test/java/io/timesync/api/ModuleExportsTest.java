package io.timesync.api;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

/** The module exports the embedding API and the codec whose types it carries, and nothing else. */
class ModuleExportsTest {

    @Test
    void onlyTheApiAndTheCodecAreExported() {
        Module module = TimeSync.class.getModule();
        assertThat(module.isNamed()).as("the tests run on the module path").isTrue();
        assertThat(module.getDescriptor().exports()).map(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder("io.timesync.api", "io.timesync.ntp");
        assertThat(module.getDescriptor().exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    }
}
