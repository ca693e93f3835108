package io.timesync.cli;

import io.timesync.api.ServerAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code HOST}, {@code HOST:PORT}, {@code [IPV6]:PORT}: validated before anything is sent anywhere. */
final class ServerConverter implements ITypeConverter<ServerAddress> {

    @Override
    public ServerAddress convert(String value) {
        try {
            return ServerAddress.parse(value, ServerAddress.NTP_PORT);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
