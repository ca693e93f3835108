package io.timesync.cli;

import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.app.config.Configuration;
import io.timesync.nts.NtsClient;
import io.timesync.nts.NtsKeClient;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** The NTS options (RFC 8915) shared by {@code probe}, {@code optimize} and {@code sync}. */
final class NtsOptionsMixin {

    @Option(names = "--nts", paramLabel = "HOST[:KE-PORT]", converter = NtsServerConverter.class,
            description = "An NTS server (RFC 8915), measured with authentication: key establishment on KE-PORT (default 4460),"
                    + " then NTP where the server says (repeatable).")
    List<ServerAddress> ntsServers = List.of();

    @Option(names = "--nts-trust", paramLabel = "FILE",
            description = "Trust only the CA certificates in this PEM file for NTS (for a private CA; default: the JDK's trust store).")
    Path ntsTrust;

    /**
     * The NTS client ({@link Configuration#ntsClient}), trusting {@code --nts-trust}, else
     * {@code configTrust}, else the JDK's trust store; sessions persist in {@code stateDirectory} when it is not null.
     *
     * @throws IllegalArgumentException when the trust file cannot be used
     */
    NtsClient client(ProbeOptions options, Path configTrust, Path stateDirectory) {
        return Configuration.ntsClient(options, ntsTrust != null ? ntsTrust : configTrust, stateDirectory);
    }

    /** {@code HOST[:KE-PORT]}, validated like every server name. */
    static final class NtsServerConverter extends ServerConverter {
        @Override
        int defaultPort() {
            return NtsKeClient.DEFAULT_PORT;
        }
    }
}
