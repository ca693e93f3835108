package io.timesync.cli;

import io.timesync.time.Mode;
import io.timesync.platform.Platform;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * The values of the options that take one of a fixed set, as shell completion offers them
 * ({@code completionCandidates}): the words the options accept, spelt as they accept them. Without
 * these picocli would offer an enum's constant names ({@code BEST}), which the options refuse.
 */
final class Choices {

    private Choices() {
    }

    /** {@code --strategy}. */
    static final class Strategies implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return io.timesync.app.config.Strategies.NAMES.iterator();
        }
    }

    /** {@code --mode}: the modes, lower case. */
    static final class Modes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new ArrayList<>();
            for (Mode mode : Mode.values()) {
                names.add(mode.name().toLowerCase(Locale.ROOT));
            }
            return names.iterator();
        }
    }

    /** {@code --service} of sync, daemon and rollback: the services TimeSync corrects through. */
    static final class Services implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("chrony", "ntpsec", "timesyncd", "w32time").iterator();
        }
    }

    /** {@code --service} of setup: the services it installs. */
    static final class SetupServices implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("chrony", "ntpsec", "timesyncd").iterator();
        }
    }

    /** {@code --platform}: the platforms on the class path, by name. */
    static final class PlatformNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new ArrayList<>();
            for (Platform platform : ServiceLoader.load(Platform.class)) {
                names.add(platform.name());
            }
            return names.iterator();
        }
    }
}
