package io.timesync.nts;

import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.probe.Probe;
import io.timesync.probe.SecureProbes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** NTS for {@code TimeSync.builder()}: registered as the {@link SecureProbes} service. */
public final class NtsSecureProbes implements SecureProbes {

    /** For {@link java.util.ServiceLoader}. */
    public NtsSecureProbes() {
    }

    @Override
    public void checkTrust(Path file) {
        NtsTrust.fromFile(file);
    }

    @Override
    public List<Probe> probes(List<ServerAddress> keServers, Path trust, ProbeOptions options) {
        // Sessions (keys and cookies) live in memory for the life of the probes.
        NtsClient client = NtsClient.create(trust == null ? NtsTrust.system() : NtsTrust.fromFile(trust),
                NtsKeClient.DEFAULT_DEADLINE, null);
        List<Probe> probes = new ArrayList<>(keServers.size());
        for (ServerAddress keServer : keServers) {
            probes.add(client.probe(keServer, options));
        }
        return probes;
    }
}
