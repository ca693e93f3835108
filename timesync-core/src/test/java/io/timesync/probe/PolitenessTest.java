package io.timesync.probe;

import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolitenessTest {

    private final ProbeOptions eager = ProbeOptions.defaults().withSamples(16).withSpacing(Duration.ofMillis(10));

    @Test
    void poolServersGetAtMostFourRequestsTwoSecondsApart() {
        ProbeOptions polite = Politeness.forServers(List.of(ServerAddress.parse("de.pool.ntp.org", 123),
                ServerAddress.parse("127.0.0.1:5", 123)), eager);
        assertThat(polite.samples()).isEqualTo(4);
        assertThat(polite.spacing()).isEqualTo(Duration.ofSeconds(2));
        assertThat(polite.timeout()).isEqualTo(eager.timeout());
    }

    @Test
    void otherServersAreProbedAsAsked() {
        assertThat(Politeness.forServers(List.of(ServerAddress.parse("127.0.0.1:5", 123),
                ServerAddress.parse("ntp.example.org", 123)), eager)).isEqualTo(eager);
    }

    @Test
    void recognisesPoolNames() {
        assertThat(Politeness.isPool(ServerAddress.parse("pool.ntp.org", 123))).isTrue();
        assertThat(Politeness.isPool(ServerAddress.parse("2.Europe.Pool.NTP.org.", 123))).isTrue();
        assertThat(Politeness.isPool(ServerAddress.parse("notpool.ntp.org", 123))).isFalse();
        assertThat(Politeness.isPool(ServerAddress.parse("time.cloudflare.com", 123))).isFalse();
    }
}
