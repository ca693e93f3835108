package io.timesync.app.config;

import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.select.Optimizer.Strategy;
import io.timesync.select.SelectionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Flags over the file over the defaults, each value on its own. */
class ConfigurationTest {

    @TempDir
    Path dir;

    private ConfigFile file() throws Exception {
        return ConfigFile.read(Files.writeString(dir.resolve("timesync.json"), """
                {"servers": ["127.0.0.1:1123"], "minScore": 70, "maxStratum": 4, "samples": 3, "strategy": "first-reachable",
                 "stateDir": "%s"}
                """.formatted(dir.resolve("from-file").toString().replace("\\", "\\\\"))));
    }

    private static Configuration.Flags flags(List<ServerAddress> servers, Path state, Double minScore, Integer samples) {
        return new Configuration.Flags(servers, null, null, state, null, minScore, null, null, null, null, null, null, false,
                new Configuration.Probing(samples, null, null, null));
    }

    @Test
    void aFlagWinsOverTheFileWhichWinsOverTheDefaults() throws Exception {
        Configuration c = Configuration.resolve(flags(List.of(new ServerAddress("127.0.0.2", 2123)), dir.resolve("flag"), 80.0, 2),
                file(), () -> {
                    throw new AssertionError("the platform's directory is not asked when one is named");
                });

        assertThat(c.policy().minScore()).isEqualTo(80.0);
        assertThat(c.policy().maxStratum()).isEqualTo(4);
        assertThat(c.policy().minStratum()).isEqualTo(SelectionPolicy.defaults().minStratum());
        assertThat(c.options().samples()).isEqualTo(2);
        assertThat(c.options().timeout()).isEqualTo(ProbeOptions.defaults().timeout());
        assertThat(c.candidates()).containsExactly(new ServerAddress("127.0.0.2", 2123));
        assertThat(c.strategy()).isEqualTo(Strategy.FIRST_REACHABLE);
        assertThat(c.stateDirectory()).isEqualTo(dir.resolve("flag"));
        assertThat(c.store().file().getParent()).isEqualTo(dir.resolve("flag"));
        assertThat(c.ntsCandidates()).isEmpty();
    }

    @Test
    void withoutFlagsTheFileDecides() throws Exception {
        Configuration c = Configuration.resolve(Configuration.Flags.none(), file(), () -> dir.resolve("platform"));

        assertThat(c.policy().minScore()).isEqualTo(70.0);
        assertThat(c.options().samples()).isEqualTo(3);
        assertThat(c.candidates()).containsExactly(new ServerAddress("127.0.0.1", 1123));
        assertThat(c.stateDirectory()).isEqualTo(dir.resolve("from-file"));
    }

    @Test
    void withoutEitherTheDefaultsAndThePlatformsDirectoryDecide() throws Exception {
        Configuration c = Configuration.resolve(flags(List.of(new ServerAddress("127.0.0.1", 123)), null, null, null),
                ConfigFile.none(), () -> dir.resolve("platform"));

        assertThat(c.policy()).isEqualTo(SelectionPolicy.defaults());
        assertThat(c.options()).isEqualTo(ProbeOptions.defaults());
        assertThat(c.strategy()).isEqualTo(Strategy.BEST);
        assertThat(c.stateDirectory()).isEqualTo(dir.resolve("platform"));
    }

    @Test
    void aBadValueNamesTheFileAndTheKey() throws Exception {
        ConfigFile bad = ConfigFile.read(Files.writeString(dir.resolve("bad.properties"), "spacing=soon\n"));
        assertThatIllegalArgumentException().isThrownBy(() -> Configuration.resolve(Configuration.Flags.none(), bad,
                () -> dir)).withMessageContaining("bad.properties").withMessageContaining("spacing");
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    }
}
