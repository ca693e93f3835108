package io.timesync.unix;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ManagedBlockTest {

    private static final String BLOCK = ManagedBlock.wrap("server 192.0.2.1 iburst\n");

    @Test
    void itsLinesAndTheUsersAreToldApart() {
        String conf = "# mine\r\n" + BLOCK + "makestep 1 3";
        assertThat(ManagedBlock.lines(conf, "chrony.conf")).contains("server 192.0.2.1 iburst\n");
        assertThat(ManagedBlock.outside(conf, "chrony.conf")).isEqualTo("# mine\r\nmakestep 1 3");
        assertThat(ManagedBlock.lines(ManagedBlock.wrap(""), "chrony.conf")).contains("");
        assertThat(ManagedBlock.lines("# mine\n", "chrony.conf")).isEmpty();
        assertThat(ManagedBlock.outside("# mine\n", "chrony.conf")).isEqualTo("# mine\n");
    }

    @Test
    void brokenMarkersNameTheFile() {
        assertThatIllegalArgumentException().isThrownBy(() -> ManagedBlock.lines(ManagedBlock.END + "\n", "chrony.conf"))
                .withMessageStartingWith("chrony.conf has an incomplete or repeated TimeSync block");
    }
}
