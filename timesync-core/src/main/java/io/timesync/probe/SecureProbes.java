package io.timesync.probe;

import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Authenticated probes (NTS, RFC 8915): key establishment over TLS 1.3, then NTP requests sealed
 * with AES-SIV. The library stays free of TLS and cryptography libraries; the {@value #ARTIFACT}
 * artifact supplies this service, found with {@link ServiceLoader} on the class or module path.
 */
public interface SecureProbes {

    /** The Maven coordinates of the artifact that supplies NTS. */
    String ARTIFACT = "io.timesync:timesync-nts";

    /** The NTS-KE port (RFC 8915 §4) when a server names none. */
    int KE_PORT = 4460;

    /**
     * Reads the CA certificates (PEM) in {@code file}, to trust them instead of the JDK's trust store.
     *
     * @throws IllegalArgumentException when the file cannot be read as certificates
     */
    void checkTrust(Path file);

    /**
     * Probes that measure each of {@code keServers} with authentication, keeping their sessions (keys
     * and cookies) in memory for the life of the probes.
     *
     * @param trust   CA certificates (PEM) to trust, or null for the JDK's trust store
     * @param options requests per server, their spacing and timeout
     * @throws IllegalArgumentException when {@code trust} cannot be read as certificates
     */
    List<Probe> probes(List<ServerAddress> keServers, Path trust, ProbeOptions options);

    /** The NTS implementation on the class or module path, if any. */
    static Optional<SecureProbes> find() {
        Iterator<SecureProbes> found = ServiceLoader.load(SecureProbes.class, SecureProbes.class.getClassLoader()).iterator();
        return found.hasNext() ? Optional.of(found.next()) : Optional.empty();
    }

    /**
     * The NTS implementation on the class or module path.
     *
     * @throws IllegalStateException naming the artifact to add, when there is none
     */
    static SecureProbes require() {
        return find().orElseThrow(() -> new IllegalStateException(
                "NTS servers need " + ARTIFACT + " beside timesync-core on the class or module path: add that dependency"));
    }
}
