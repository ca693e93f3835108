package io.timesync.select;

import io.timesync.time.ServerAddress;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CandidatesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ServerAddress A = ServerAddress.parse("a.example:1234", 123);
    private static final ServerAddress B = ServerAddress.parse("b.example", 123);

    private static List<String> hosts(List<ServerAddress> servers) {
        return servers.stream().map(ServerAddress::toString).toList();
    }

    @Test
    void explicitServersAndPoolComeFirstAndAlone() {
        assertThat(hosts(Candidates.choose(List.of(A, B, A), "europe.pool.ntp.org", List.of(B), null, BERLIN)))
                .containsExactly("a.example:1234", "b.example:123", "europe.pool.ntp.org:123");
    }

    @Test
    void configurationServersComeNext() {
        assertThat(hosts(Candidates.choose(List.of(), null, List.of(B), null, BERLIN))).containsExactly("b.example:123");
    }

    @Test
    void defaultsAreTheRegionalZonesTheGlobalPoolAndVendors() {
        List<String> defaults = hosts(Candidates.choose(List.of(), null, List.of(), null, BERLIN));
        assertThat(defaults).startsWith("de.pool.ntp.org:123", "europe.pool.ntp.org:123", "pool.ntp.org:123")
                .contains("time.cloudflare.com:123", "time.google.com:123");
        assertThat(hosts(Candidates.choose(List.of(), null, List.of(), "Asia/Kolkata", BERLIN)))
                .startsWith("in.pool.ntp.org:123", "asia.pool.ntp.org:123", "pool.ntp.org:123");
    }

    @Test
    void anUnknownRegionIsAnError() {
        assertThatIllegalArgumentException().isThrownBy(() -> Candidates.choose(List.of(), null, List.of(), "nowhere", BERLIN));
    }
}
