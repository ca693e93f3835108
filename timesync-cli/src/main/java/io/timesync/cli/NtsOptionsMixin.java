package io.timesync.cli;

import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.nts.NtsClient;
import io.timesync.nts.NtsKeClient;
import io.timesync.nts.NtsSessionStore;
import io.timesync.nts.NtsTrust;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The NTS options (RFC 8915) shared by {@code probe}, {@code optimize} and {@code sync}. */
final class NtsOptionsMixin {

    /** The sessions file in the state directory (keys and cookies: owner-only). */
    static final String SESSIONS_FILE = "nts-sessions.json";

    @Option(names = "--nts", paramLabel = "HOST[:KE-PORT]", converter = NtsServerConverter.class,
            description = "An NTS server (RFC 8915), measured with authentication: key establishment on KE-PORT (default 4460),"
                    + " then NTP where the server says (repeatable).")
    List<ServerAddress> ntsServers = List.of();

    @Option(names = "--nts-trust", paramLabel = "FILE",
            description = "Trust only the CA certificates in this PEM file for NTS (for a private CA; default: the JDK's trust store).")
    Path ntsTrust;

    /**
     * The NTS client, trusting {@code --nts-trust}, else {@code configTrust}, else the JDK's trust
     * store; sessions persist in {@code stateDirectory} when it is not null. A whole key
     * establishment gets {@link NtsKeClient#DEFAULT_DEADLINE}, or the probing timeout when that is
     * longer: key establishment is a TCP connection and a TLS 1.3 handshake, a few round trips, not one.
     *
     * @throws IllegalArgumentException when the trust file cannot be used
     */
    NtsClient client(ProbeOptions options, Path configTrust, Path stateDirectory) {
        Path file = ntsTrust != null ? ntsTrust : configTrust;
        NtsTrust trust = file == null ? NtsTrust.system() : NtsTrust.fromFile(file);
        Duration deadline = options.timeout().compareTo(NtsKeClient.DEFAULT_DEADLINE) > 0
                ? options.timeout() : NtsKeClient.DEFAULT_DEADLINE;
        NtsSessionStore store = stateDirectory == null ? null : new NtsSessionStore(stateDirectory.resolve(SESSIONS_FILE));
        return NtsClient.create(trust, deadline, store);
    }

    /** {@code HOST[:KE-PORT]}, validated like every server name. */
    static final class NtsServerConverter extends ServerConverter {
        @Override
        int defaultPort() {
            return NtsKeClient.DEFAULT_PORT;
        }
    }
}
