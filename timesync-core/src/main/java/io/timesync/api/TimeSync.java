package io.timesync.api;

import io.timesync.probe.ProbeRunner;

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
}
