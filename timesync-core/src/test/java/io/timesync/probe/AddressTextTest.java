package io.timesync.probe;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class AddressTextTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1,127.0.0.1",
        "0:0:0:0:0:0:0:1,::1",
        "0:0:0:0:0:0:0:0,::",
        "2001:db8:0:0:1:0:0:1,2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1,2001:db8:0:1:1:1:1:1",
        "fe80:0:0:0:0:0:0:1,fe80::1",
        "2001:0:0:1:0:0:0:1,2001:0:0:1::1",
        "1:0:0:0:0:0:0:0,1::"})
    void compressesIpv6AsRfc5952Says(String input, String expected) throws Exception {
        assertThat(AddressText.of(InetAddress.getByName(input))).isEqualTo(expected);
    }
}
