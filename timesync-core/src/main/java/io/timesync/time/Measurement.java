package io.timesync.time;

import java.util.List;

/**
 * The result of probing one address of one server: every sample and every failed request, the
 * clock filter's estimate, and the reachability register.
 *
 * @param server   the server as the user named it
 * @param address  the address probed (textual, IPv6 compressed), or null when the name did not resolve
 * @param port     the UDP port
 * @param sent     requests sent
 * @param reach    reachability register: one bit per request, newest in bit 0, set when it was answered validly
 * @param samples  the valid samples, in the order they were taken
 * @param failures the requests that gave no sample
 * @param estimate the clock filter's result, or null when there is no sample; its
 *                 {@link Estimate#errorBoundNanos()} is the measurement's error bound
 * @param error    why there is no sample (DNS failure, timeouts, kiss code...), or null when there is one
 * @param authenticated whether every sample was cryptographically authenticated (NTS, RFC 8915);
 *                 never true without a sample
 */
public record Measurement(ServerAddress server, String address, int port, int sent, int reach,
                          List<Sample> samples, List<SampleFailure> failures, Estimate estimate, String error,
                          boolean authenticated) {

    /** Copies the lists so the record is immutable. */
    public Measurement {
        samples = List.copyOf(samples);
        failures = List.copyOf(failures);
        if (authenticated && estimate == null) {
            throw new IllegalArgumentException("a measurement without a sample cannot be authenticated");
        }
    }

    /** An unauthenticated measurement (plain NTP, the OS time service's view, or a failure). */
    public Measurement(ServerAddress server, String address, int port, int sent, int reach, List<Sample> samples,
                       List<SampleFailure> failures, Estimate estimate, String error) {
        this(server, address, port, sent, reach, samples, failures, estimate, error, false);
    }

    /**
     * The candidate's identity across runs: {@code address:port} ({@code [v6]:port}), or the name
     * and port when the name did not resolve. A pool's addresses are candidates of their own.
     */
    public String key() {
        return address == null ? server.toString() : keyOf(address, port);
    }

    /** The key of an address (as {@link io.timesync.probe.AddressText} writes it) and port. */
    public static String keyOf(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** Whether at least one valid sample arrived. */
    public boolean answered() {
        return estimate != null;
    }
}
