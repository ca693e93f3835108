package io.timesync.cli;

import io.timesync.time.ServerAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code HOST}, {@code HOST:PORT}, {@code [IPV6]:PORT}: validated before anything is sent anywhere. */
class ServerConverter implements ITypeConverter<ServerAddress> {

    /** The port when none is given. */
    int defaultPort() {
        return ServerAddress.NTP_PORT;
    }

    @Override
    public ServerAddress convert(String value) {
        try {
            return ServerAddress.parse(value, defaultPort());
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
