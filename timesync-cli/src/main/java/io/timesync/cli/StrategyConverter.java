package io.timesync.cli;

import io.timesync.select.Optimizer.Strategy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.List;
import java.util.Locale;

/** {@code best} or {@code first-reachable}. */
final class StrategyConverter implements ITypeConverter<Strategy> {

    /** The names it accepts. */
    static final List<String> NAMES = List.of("best", "first-reachable");

    @Override
    public Strategy convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static Strategy parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "best": return Strategy.BEST;
            case "first-reachable": return Strategy.FIRST_REACHABLE;
            default: throw new IllegalArgumentException("'" + value + "' is not a strategy (expected best or first-reachable)");
        }
    }
}
