package io.timesync.probe;

import io.timesync.time.Measurement;
import io.timesync.time.Sample;
import io.timesync.time.ServerAddress;
import io.timesync.ntp.Leap;
import io.timesync.ntp.NtpTimestamp;

import java.util.List;

/**
 * A time service's own view of the clock as a {@link Measurement}, so the agent reads it through the
 * same {@code Probe} contract as a network server: one sample taken when the service was asked
 * (T1 = T4 = then), whose server timestamps are T1 plus the service's offset (reference − local), with
 * no network delay, and the service's stratum, leap, root delay, root dispersion and reference id
 * ({@link #PRECISION} as its precision).
 */
public final class ServiceSample {

    /**
     * The precision a reading carries (log2 seconds; about a nanosecond): the service's root
     * dispersion already includes its clock's precision, so the reading adds none of its own to the
     * measurement's uncertainty.
     */
    public static final int PRECISION = -30;

    private ServiceSample() {
    }

    /**
     * The measurement.
     *
     * @param service      the service's name (e.g. {@code chronyd}), shown as the server
     * @param source       its current source (address or name), or null
     * @param readAtUnixNanos when the service was asked
     * @param offsetNanos  the service's offset, reference − local
     */
    public static Measurement of(String service, String source, long readAtUnixNanos, long offsetNanos, int stratum,
                                 Leap leap, long rootDelayNanos, long rootDispersionNanos, int referenceId) {
        long server = NtpTimestamp.fromUnixNanos(readAtUnixNanos + offsetNanos);
        Sample sample = new Sample(readAtUnixNanos, server, server, readAtUnixNanos, offsetNanos, 0, stratum, leap,
                PRECISION, 0, rootDelayNanos, rootDispersionNanos, referenceId);
        List<Sample> samples = List.of(sample);
        // Port 0: the service was asked through its own tool, not over NTP.
        return new Measurement(new ServerAddress(service, ServerAddress.NTP_PORT), source, 0, 1, 1, samples, List.of(),
                ClockFilter.estimate(samples), null);
    }

    /** A service that did not answer, with why. */
    public static Measurement unanswered(String service, String why) {
        return new Measurement(new ServerAddress(service, ServerAddress.NTP_PORT), null, 0, 1, 0, List.of(), List.of(),
                null, why);
    }
}
