package io.timesync.unix.ntpsec;

import io.timesync.unix.host.ManagedBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NtpConfBlockTest {

    private static final String USER = "# my ntp.conf\r\ndriftfile /var/lib/ntpsec/ntp.drift\n\tpool 0.debian.pool.ntp.org iburst  \n"
            + "restrict default kod nomodify nopeer noquery limited\n";

    @Test
    void theBlockListsPort123ServersOnceAndSaysWhyOthersAreLeftOut() {
        assertThat(NtpConfBlock.block(List.of("192.0.2.1:123", "time.example:123", "192.0.2.1:123", "[::1]:4123")))
                .isEqualTo(ManagedBlock.BEGIN + "\nserver 192.0.2.1 iburst\nserver time.example iburst\n"
                        + "# [::1]:4123 left out: ntpd talks to port 123 only\n" + ManagedBlock.END + "\n");
    }

    @Test
    void appendsToTheUsersFileAndKeepsItByteForByte() {
        String block = NtpConfBlock.block(List.of("192.0.2.1:123"));
        assertThat(NtpConfBlock.apply(USER, block)).isEqualTo(USER + block);
        assertThat(NtpConfBlock.apply("server a", block)).isEqualTo("server a\n" + block);
        assertThat(NtpConfBlock.apply("", block)).isEqualTo(block);
    }

    @Test
    void replacesItsBlockWhereItIs() {
        String old = NtpConfBlock.block(List.of("192.0.2.1:123"));
        String conf = USER + old + "# the user's lines after the block\nserver 198.51.100.1\n";
        String updated = NtpConfBlock.apply(conf, NtpConfBlock.block(List.of("192.0.2.9:123")));
        assertThat(updated).isEqualTo(USER + NtpConfBlock.block(List.of("192.0.2.9:123"))
                + "# the user's lines after the block\nserver 198.51.100.1\n");
        assertThat(NtpConfBlock.apply(updated, NtpConfBlock.block(List.of("192.0.2.9:123")))).isEqualTo(updated);
        assertThat(NtpConfBlock.hosts(old)).containsExactly("192.0.2.1");
    }

    @Test
    void brokenMarkersAreNotGuessedAt() {
        assertThatIllegalArgumentException().isThrownBy(() -> NtpConfBlock.apply(USER + ManagedBlock.BEGIN + "\n", "x"))
                .withMessageContaining("incomplete or repeated");
        String twice = NtpConfBlock.block(List.of("192.0.2.1:123")) + NtpConfBlock.block(List.of("192.0.2.2:123"));
        assertThatIllegalArgumentException().isThrownBy(() -> NtpConfBlock.apply(twice, "x"));
        // A marker quoted inside another line is not a marker.
        String quoted = "# see '" + ManagedBlock.BEGIN + "'\n";
        assertThat(NtpConfBlock.apply(quoted, "B\n")).isEqualTo(quoted + "B\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1; rm -rf /", "a b", "x\nrestrict default", "-c/etc/passwd", "$(id)"})
    void hostileNamesNeverReachTheFile(String key) {
        assertThatIllegalArgumentException().isThrownBy(() -> NtpConfBlock.block(List.of(key)));
    }
}
