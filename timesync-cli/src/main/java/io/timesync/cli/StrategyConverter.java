package io.timesync.cli;

import io.timesync.app.config.Strategies;
import io.timesync.select.Optimizer.Strategy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code best} or {@code first-reachable}, as {@link Strategies} reads them. */
final class StrategyConverter implements ITypeConverter<Strategy> {

    @Override
    public Strategy convert(String value) {
        try {
            return Strategies.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
