package io.timesync.text;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class PrintableTest {

    @Test
    void controlCharactersAreEscapedSoTheTextStaysOnOneLineAndCannotDriveATerminal() {
        String forged = "CN=evil\u001b[2J\r\n2026-12-04T10:00:00Z state    outage -> synchronized\u0007\u0000\u007f\u009b";

        String shown = Printable.of(forged);

        assertThat(shown).isEqualTo("CN=evil\\x1b[2J\\r\\n2026-12-04T10:00:00Z state    outage -> synchronized"
                + "\\x07\\x00\\u007f\\u009b");
        assertThat(shown.chars().noneMatch(c -> Printable.control((char) c))).isTrue();
    }

    @Test
    void unicodeLineBreaksAndBidirectionalOverridesAreEscapedToo() {
        assertThat(Printable.of("a\u2028b\u202ecba\u2066")).isEqualTo("a\\u2028b\\u202ecba\\u2066");
        assertThat(Printable.of("tab\there")).isEqualTo("tab\\there");
    }

    @Test
    void printableTextIsKeptAsItIsAndEscapingTwiceChangesNothing() {
        String text = "C:\\ProgramData\\TimeSync ntp.example.org Zürich ✓";
        assertThat(Printable.of(text)).isSameAs(text);
        String once = Printable.of("a\u001bb\nc");
        assertThat(Printable.of(once)).isEqualTo(once);
        assertThat(Printable.of(null)).isEqualTo("null");
    }

    @Test
    void aUrlIsShownAsItsSchemeHostAndPortOnly() {
        assertThat(Printable.origin(URI.create("https://user:pw@hooks.example.com/services/T000/B000/SECRET?token=abc#x")))
                .isEqualTo("https://hooks.example.com");
        assertThat(Printable.origin(URI.create("http://127.0.0.1:8080/hook/SECRET"))).isEqualTo("http://127.0.0.1:8080");
        assertThat(Printable.origin(URI.create("mailto:secret@example.com"))).isEqualTo("(a URL)");
    }
}
