package io.timesync.ntp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class KissCodeTest {

    private static int ascii(String code) {
        return ByteBuffer.wrap(code.getBytes(StandardCharsets.US_ASCII)).getInt();
    }

    @Test
    void everyKnownCodeDecodesFromItsAsciiName() {
        for (KissCode code : KissCode.values()) {
            if (code != KissCode.UNKNOWN) {
                assertThat(KissCode.of(ascii(code.name()))).isEqualTo(code);
            }
        }
        assertThat(KissCode.of(ascii("XYZW"))).isEqualTo(KissCode.UNKNOWN);
        assertThat(KissCode.of(0)).isEqualTo(KissCode.UNKNOWN);
    }

    @Test
    void actionsFollowRfc5905() {
        assertThat(KissCode.RATE.requestsBackoff()).isTrue();
        assertThat(KissCode.RATE.stopsUsingServer()).isFalse();
        assertThat(KissCode.DENY.stopsUsingServer()).isTrue();
        assertThat(KissCode.RSTR.stopsUsingServer()).isTrue();
        assertThat(KissCode.NTSN.stopsUsingServer()).isFalse();
    }

    @Test
    void referenceIdsFormatAsTextOrAddress() {
        assertThat(ReferenceId.format(ascii("GPS\0"), 1)).isEqualTo("GPS");
        assertThat(ReferenceId.format(ascii("RATE"), 0)).isEqualTo("RATE");
        assertThat(ReferenceId.format(0x7F7F0101, 8)).isEqualTo("127.127.1.1");
        assertThat(ReferenceId.format(0x01020304, 1)).isEqualTo("\\x01\\x02\\x03\\x04");
    }
}
