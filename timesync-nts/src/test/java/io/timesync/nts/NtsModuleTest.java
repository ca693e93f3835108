package io.timesync.nts;

import io.timesync.probe.SecureProbes;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

/** The module provides NTS to the library's builder through the service the library uses. */
class NtsModuleTest {

    @Test
    void theBuilderFindsNtsAsAService() {
        assertThat(SecureProbes.find()).get().isInstanceOf(NtsSecureProbes.class);
    }

    @Test
    void theModuleProvidesTheServiceAndExportsOnlyItsClient() {
        Module module = NtsSecureProbes.class.getModule();
        assertThat(module.isNamed()).as("the tests run on the module path").isTrue();
        assertThat(module.getDescriptor().provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo(SecureProbes.class.getName());
            assertThat(p.providers()).containsExactly(NtsSecureProbes.class.getName());
        });
        assertThat(module.getDescriptor().exports()).map(ModuleDescriptor.Exports::source).containsExactly("io.timesync.nts");
    }
}
