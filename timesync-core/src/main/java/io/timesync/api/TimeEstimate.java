package io.timesync.api;

import io.timesync.time.Measurement;
import java.util.List;

/**
 * What {@link TimeSync#measure()} makes of its servers: the offset of the local clock from the
 * selected servers' consensus, with an error bound, and every server's measurement.
 *
 * @param offsetNanos      reference − local: add it to the local clock to get the reference time
 * @param errorBoundNanos  the true offset lies within {@code offsetNanos ± errorBoundNanos}: the
 *                         primary server's root distance (RFC 5905), plus how far the combined
 *                         offset moved from the primary's
 * @param server           the primary server ({@code address:port})
 * @param stratum          the primary's stratum
 * @param atUnixNanos      when it was measured (local wall clock)
 * @param selected         the servers the offset combines, primary first
 * @param measurements     every server's measurement, including those not selected and why
 */
public record TimeEstimate(long offsetNanos, long errorBoundNanos, String server, int stratum, long atUnixNanos,
                           List<String> selected, List<Measurement> measurements) {

    /** Copies the lists so the record is immutable. */
    public TimeEstimate {
        selected = List.copyOf(selected);
        measurements = List.copyOf(measurements);
    }
}
