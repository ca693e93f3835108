package io.timesync.windows.w32time;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a w32time plan changes in the registry, kept as data beside its commands: the values it
 * writes (their old values are the backup) and the peer list {@code w32tm /config} is to leave in
 * NtpServer (what applying verifies). Built while planning; not thread-safe.
 */
final class RegistryChanges {

    private final Set<RegistryName> touched = new LinkedHashSet<>();
    private String peers;

    /** A value the plan writes: returns the {@code reg add} that writes it. */
    List<String> write(RegistryName name, String type, String data) {
        touched.add(name);
        return W32TimeCommands.regAdd(name.key(), name.name(), type, data);
    }

    /**
     * The peer list the plan configures: returns the {@code w32tm /config} that configures it, which
     * writes NtpServer and Type itself.
     */
    List<String> configurePeers(String peerList) {
        touched.add(new RegistryName(W32TimeCommands.PARAMETERS_KEY, "NtpServer"));
        touched.add(new RegistryName(W32TimeCommands.PARAMETERS_KEY, "Type"));
        peers = peerList;
        return W32TimeCommands.configurePeers(peerList);
    }

    /** The values the plan changes, in the order it changes them first. */
    List<RegistryName> touched() {
        return new ArrayList<>(touched);
    }

    /** The peer list the plan configures, or null when it leaves the peers alone. */
    String peers() {
        return peers;
    }
}
