package io.timesync.select;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LeapSmearTest {

    @ParameterizedTest
    @CsvSource({"time.google.com,true", "time3.google.com,true", "TIME.GOOGLE.COM.,true", "time.facebook.com,true",
        "time.aws.com,true", "169.254.169.123,true", "pool.ntp.org,false", "time.cloudflare.com,false",
        "mail.google.com,false", "127.0.0.1,false"})
    void knowsTheSmearingServers(String host, boolean smearing) {
        assertThat(LeapSmear.isSmearing(host)).isEqualTo(smearing);
    }
}
