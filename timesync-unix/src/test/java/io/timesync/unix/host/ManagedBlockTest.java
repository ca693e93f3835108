package io.timesync.unix.host;

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
    void aRollbackOfAnUneditedFileGivesThePreviousOneByteForByte() {
        String previous = "# mine\r\n\t# no newline at the end";
        String written = ManagedBlock.apply(previous, BLOCK, "chrony.conf");
        assertThat(ManagedBlock.rollback(previous, written, written, "chrony.conf")).isEqualTo(previous);
    }

    @Test
    void aRollbackPutsBackOnlyTheBlockAndKeepsTheUsersLinesAddedSince() {
        String older = ManagedBlock.wrap("server 192.0.2.9 iburst\n");
        String previous = "# mine\n" + older + "makestep 1 3\n";
        String written = "# mine\n" + BLOCK + "makestep 1 3\n";
        String current = "# mine, edited\n" + BLOCK + "makestep 1 3\nrtcsync\n";
        assertThat(ManagedBlock.rollback(previous, written, current, "chrony.conf"))
                .isEqualTo("# mine, edited\n" + older + "makestep 1 3\nrtcsync\n");
        // Back before the first change: the block goes, with the line break appending it added, and nothing else.
        String untouched = "# mine\nmakestep 1 3";
        String first = ManagedBlock.apply(untouched, BLOCK, "chrony.conf");
        assertThat(ManagedBlock.rollback(untouched, first, "# mine, edited\nmakestep 1 3\n" + BLOCK, "chrony.conf"))
                .isEqualTo("# mine, edited\nmakestep 1 3");
        assertThat(ManagedBlock.rollback(untouched, first, first + "rtcsync\n", "chrony.conf"))
                .isEqualTo("# mine\nmakestep 1 3\nrtcsync\n");
    }

    @Test
    void brokenMarkersNameTheFile() {
        assertThatIllegalArgumentException().isThrownBy(() -> ManagedBlock.lines(ManagedBlock.END + "\n", "chrony.conf"))
                .withMessageStartingWith("chrony.conf has an incomplete or repeated TimeSync block");
    }
}
