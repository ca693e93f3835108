package io.timesync.time;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ServerAddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pool.ntp.org|pool.ntp.org|123",
        "time.example:4123|time.example|4123",
        "127.0.0.1:11123|127.0.0.1|11123",
        "[::1]:11123|::1|11123",
        "[::1]|::1|123",
        "::1|::1|123",
        "fe80::1%eth0|fe80::1%eth0|123",
        "localhost.|localhost.|123",
        "  ntp-1.example.com  |ntp-1.example.com|123",
        "a:65535|a|65535"})
    void parsesTheForms(String text, String host, int port) {
        ServerAddress address = ServerAddress.parse(text, 123);
        assertThat(address.host()).isEqualTo(host);
        assertThat(address.port()).isEqualTo(port);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|empty server name",
        "host:0|port 0 is out of range",
        "host:70000|port 70000 is out of range",
        "host:|port '' is not a number",
        "host:12a|port '12a' is not a number",
        "bad_host|invalid host name 'bad_host'",
        "-lead.example|invalid host name",
        "a..b|invalid host name",
        "x;rm -rf /|invalid host name",
        "$(reboot)|invalid host name",
        "300.1.1.1|not a valid IPv4 address",
        "1.2.3|not a valid IPv4 address",
        "[::1|missing ']'",
        "[127.0.0.1]:1|only IPv6 addresses go in brackets",
        "[::1]x|expected ':PORT' after ']'",
        "::zz::|invalid IPv6 address"})
    void rejectsWithAMessageSayingWhatIsWrong(String text, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.parse(text, 123)).withMessageContaining(message);
    }

    @Test
    void rejectsOverlongNamesAndLabels() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.parse("a".repeat(64) + ".example", 123))
                .withMessageContaining("1-63");
        String longName = ("a".repeat(60) + ".").repeat(5) + "com";
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.parse(longName, 123))
                .withMessageContaining("longer than 253");
    }

    @Test
    void printsWithBracketsForIpv6() {
        assertThat(ServerAddress.parse("[::1]:5", 123)).hasToString("[::1]:5");
        assertThat(ServerAddress.parse("time.example", 123)).hasToString("time.example:123");
    }
}
