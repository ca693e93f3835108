package io.timesync.app.config;

import io.timesync.select.Optimizer.Strategy;

import java.util.List;
import java.util.Locale;

/** The strategies by the names people write: {@code best} or {@code first-reachable}. */
public final class Strategies {

    /** The names it accepts. */
    public static final List<String> NAMES = List.of("best", "first-reachable");

    private Strategies() {
    }

    /**
     * The strategy named {@code value}.
     *
     * @throws IllegalArgumentException naming the choices
     */
    public static Strategy parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "best": return Strategy.BEST;
            case "first-reachable": return Strategy.FIRST_REACHABLE;
            default: throw new IllegalArgumentException("'" + value + "' is not a strategy (expected best or first-reachable)");
        }
    }
}
