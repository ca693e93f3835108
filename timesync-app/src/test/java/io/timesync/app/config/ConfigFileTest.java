package io.timesync.app.config;

import io.timesync.app.telemetry.Notifier;
import io.timesync.select.Optimizer.Strategy;
import io.timesync.select.SelectionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryKeyFromJson() throws Exception {
        Path file = Files.writeString(dir.resolve("t.json"), """
                {"servers": ["a.example", "b.example:1234"], "pool": "de.pool.ntp.org", "region": "de",
                 "strategy": "first-reachable", "samples": 3, "spacing": "3s", "timeout": "500ms", "concurrency": 8,
                 "minScore": 70, "minStratum": 1, "maxStratum": 4, "hysteresisPercent": 20, "stabilityThreshold": 3,
                 "maxSelected": 2, "failuresToBlacklist": 5, "blacklistCooldown": "30m",
                 "weights": {"jitter": 40, "reachability": 30, "stratum": 20, "latency": 10}, "stateDir": "/srv/ts"}
                """);
        ConfigFile s = ConfigFile.read(file);
        assertThat(s.servers()).extracting(Object::toString).containsExactly("a.example:123", "b.example:1234");
        assertThat(s.pool()).isEqualTo("de.pool.ntp.org");
        assertThat(s.region()).isEqualTo("de");
        assertThat(s.strategy()).isEqualTo(Strategy.FIRST_REACHABLE);
        assertThat(s.probeOptions().samples()).isEqualTo(3);
        assertThat(s.probeOptions().spacing()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.probeOptions().concurrency()).isEqualTo(8);
        SelectionPolicy p = s.policy();
        assertThat(p.jitterWeight()).isEqualTo(0.40);
        assertThat(p.minScore()).isEqualTo(70);
        assertThat(p.maxStratum()).isEqualTo(4);
        assertThat(p.hysteresisPercent()).isEqualTo(20);
        assertThat(p.stabilityThreshold()).isEqualTo(3);
        assertThat(p.maxSelected()).isEqualTo(2);
        assertThat(p.failuresToBlacklist()).isEqualTo(5);
        assertThat(p.blacklistCooldown()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.stateDir()).isEqualTo(Path.of("/srv/ts"));
    }

    @Test
    void readsProperties() throws Exception {
        Path file = Files.writeString(dir.resolve("t.properties"), "servers = a.example, [::1]:5\nweights.latency=0\nminScore=50\n");
        ConfigFile s = ConfigFile.read(file);
        assertThat(s.servers()).extracting(Object::toString).containsExactly("a.example:123", "[::1]:5");
        assertThat(s.policy().latencyWeight()).isZero();
        assertThat(s.policy().minScore()).isEqualTo(50);
        assertThat(s.strategy()).isEqualTo(Strategy.BEST);
    }

    @Test
    void badValuesNameTheKeyAndTheFile() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.properties"), "samples=many\n");
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigFile.read(bad).probeOptions())
                .withMessageContaining("bad.properties").withMessageContaining("samples = 'many' is not a whole number");
        Path host = Files.writeString(dir.resolve("host.json"), "{\"servers\": [\"bad host\"]}");
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigFile.read(host).servers())
                .withMessageContaining("host.json").withMessageContaining("invalid host name");
        Path notJson = Files.writeString(dir.resolve("x.json"), "{\"servers\": ");
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigFile.read(notJson))
                .withMessageContaining("is not valid JSON");
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigFile.read(dir.resolve("missing.json")))
                .withMessageContaining("cannot read the configuration");
    }

    @Test
    void theConfigurationFileDescribesTheChannels(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("timesync.json");
        Files.writeString(file, """
                {"notify": {"webhook": "https://hooks.example.org/t", "events": ["refused", "error"], "minInterval": "1h",
                  "smtp": {"host": "mail.example.org", "port": 587, "username": "agent", "passwordEnv": "SMTP_PASSWORD",
                           "from": "timesync@example.org", "to": ["ops@example.org", "oncall@example.org"]}}}
                """);
        Notifier.Settings s = ConfigFile.read(file).notifications(Map.of("SMTP_PASSWORD", "pw"));
        assertThat(s.webhook()).isEqualTo(URI.create("https://hooks.example.org/t"));
        assertThat(s.events()).containsExactlyInAnyOrder(Notifier.Event.REFUSED, Notifier.Event.ERROR);
        assertThat(s.minInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(s.mail()).isEqualTo(new Notifier.Mail("mail.example.org", 587, Notifier.StartTls.REQUIRED, "agent", "pw",
                "timesync@example.org", List.of("ops@example.org", "oncall@example.org"), null));

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ConfigFile.read(file).notifications(Map.of())))
                .hasMessageContaining("SMTP_PASSWORD is not set");
        Files.writeString(file, "{\"notify\": {\"webhook\": \"file:///etc/passwd\"}}");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ConfigFile.read(file).notifications(Map.of())))
                .hasMessageContaining("must be an http(s) URL");
        assertThat(ConfigFile.none().notifications(Map.of()).any()).isFalse();
    }
}
