package io.timesync.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RawTextTest {

    @Test
    void utf8IsItselfAndEveryOtherByteRoundTrips() {
        assertThat(RawText.decode("h\u00e9las \ud83d\udd70\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("h\u00e9las \ud83d\udd70\n");
        byte[] latin1 = "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        String text = RawText.decode(latin1);
        assertThat(text).isEqualTo("caf\udce9\n");
        assertThat(RawText.bytes(text + "server 192.0.2.1 iburst\n"))
                .isEqualTo("caf\u00e9\nserver 192.0.2.1 iburst\n".getBytes(StandardCharsets.ISO_8859_1));
        // An escape right after a character outside the BMP, and the UTF-8 form of a surrogate (not valid UTF-8).
        byte[] tricky = {(byte) 0xF0, (byte) 0x9F, (byte) 0x95, (byte) 0xB0, (byte) 0xE9, (byte) 0xED, (byte) 0xB2, (byte) 0x80,
            (byte) 0xC3, 'A', (byte) 0xF0, (byte) 0x90};
        assertThat(RawText.bytes(RawText.decode(tricky))).isEqualTo(tricky);
    }

    @Test
    void anyBytesRoundTrip() {
        Random random = new Random(20261205L);
        for (int n = 0; n < 2000; n++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            assertThat(RawText.bytes(RawText.decode(bytes))).as("round %d", n).isEqualTo(bytes);
        }
    }

    @Test
    void readsBytesAndAMissingFileIsNull(@TempDir Path dir) throws Exception {
        byte[] bytes = {'#', ' ', (byte) 0xFF, '\n'};
        Files.write(dir.resolve("f"), bytes);
        assertThat(RawText.bytes(RawText.read(dir.resolve("f")))).isEqualTo(bytes);
        assertThat(RawText.read(dir.resolve("missing"))).isNull();
    }
}
