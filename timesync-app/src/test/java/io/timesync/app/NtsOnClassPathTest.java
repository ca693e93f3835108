package io.timesync.app;

import io.timesync.api.TimeSync;
import io.timesync.nts.NtsSecureProbes;
import io.timesync.probe.SecureProbes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** On the class path (as the CLI and most applications run), the builder finds NTS through its service file. */
class NtsOnClassPathTest {

    @Test
    void theBuilderFindsNtsOnTheClassPath() {
        assertThat(TimeSync.class.getModule().isNamed()).as("the tests run on the class path").isFalse();
        assertThat(SecureProbes.find()).get().isInstanceOf(NtsSecureProbes.class);
        assertThat(TimeSync.builder().ntsServers("127.0.0.1").build().servers()).isEmpty();
    }
}
