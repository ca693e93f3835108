package io.timesync.api;

import io.timesync.nts.NtsClient;
import io.timesync.nts.NtsKeClient;
import io.timesync.nts.NtsTrust;
import io.timesync.probe.ProbeRunner;

import java.time.Duration;
import java.util.List;

/**
 * The entry point for applications that embed TimeSync. Needs no root, prints nothing and logs
 * through SLF4J only.
 *
 * <pre>{@code
 * List<Measurement> m = TimeSync.probe("time.example", ProbeOptions.defaults());
 * m.stream().filter(Measurement::answered)
 *   .forEach(x -> System.out.println(x.address() + " " + x.estimate().offsetNanos() + " ns"));
 * }</pre>
 */
public final class TimeSync {

    // TCP and a TLS 1.3 handshake: a few round trips to a server that may be far away.
    private static final Duration NTS_KE_TIMEOUT = Duration.ofSeconds(5);

    private TimeSync() {
    }

    /**
     * Probes every address of one server ({@code HOST}, {@code HOST:PORT} or {@code [IPV6]:PORT};
     * port 123 by default). Failures are reported in the measurements, not thrown.
     *
     * @throws IllegalArgumentException when {@code server} is not a valid host or port
     * @throws InterruptedException     when the calling thread is interrupted
     */
    public static List<Measurement> probe(String server, ProbeOptions options) throws InterruptedException {
        return probe(List.of(ServerAddress.parse(server, ServerAddress.NTP_PORT)), options);
    }

    /** Probes every address of every server concurrently; see {@link ProbeRunner}. */
    public static List<Measurement> probe(List<ServerAddress> servers, ProbeOptions options) throws InterruptedException {
        return ProbeRunner.create(options).probe(servers);
    }

    /**
     * Measures one NTS server (RFC 8915) with authentication: key establishment at {@code server}
     * ({@code HOST} or {@code HOST:KE-PORT}, port 4460 by default; the certificate checked against
     * the JDK's trust store), then NTP where it says. The measurement is
     * {@link Measurement#authenticated()} when its samples verified; failures, including those of
     * key establishment, are reported in it, not thrown.
     *
     * @throws IllegalArgumentException when {@code server} is not a valid host or port
     * @throws InterruptedException     when the calling thread is interrupted
     */
    public static Measurement probeNts(String server, ProbeOptions options) throws InterruptedException {
        ServerAddress keServer = ServerAddress.parse(server, NtsKeClient.DEFAULT_PORT);
        NtsClient client = NtsClient.create(NtsTrust.system(), NTS_KE_TIMEOUT, null);
        return client.probe(keServer, options).measure();
    }
}
