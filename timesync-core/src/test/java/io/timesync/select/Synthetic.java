package io.timesync.select;

import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.time.Sample;
import io.timesync.time.SampleFailure;
import io.timesync.time.ServerAddress;
import io.timesync.ntp.KissCode;
import io.timesync.ntp.Leap;

import java.util.Collections;
import java.util.List;

/** Synthetic measurements for deterministic selection tests. */
final class Synthetic {

    static final long MS = 1_000_000L;

    private Synthetic() {
    }

    /**
     * A server at {@code address} that answered 4 of 4 requests with the given offset, delay, jitter and
     * stratum; its root distance is delay / 2 + {@code rootDispersion}.
     */
    static Measurement answered(String host, String address, long offset, long delay, long jitter, int stratum,
                                long rootDispersion) {
        Sample best = new Sample(0, 0, 0, delay, offset, delay, stratum, Leap.NONE, -20, 6, 0, rootDispersion, 0);
        List<Sample> samples = Collections.nCopies(4, best);
        return new Measurement(new ServerAddress(host, 123), address, 123, 4, 0b1111, samples, List.of(),
                new Estimate(best, offset, delay, jitter, 4), null);
    }

    /** A well-behaved stratum-2 server at {@code offset} with 10 ms of root distance. */
    static Measurement good(String address, long offset) {
        return answered(address, address, offset, 2 * MS, 100_000, 2, 9 * MS);
    }

    /** A server that never answered. */
    static Measurement silent(String address) {
        SampleFailure timeout = SampleFailure.timeout("timeout: no valid reply within 1000 ms");
        return new Measurement(new ServerAddress(address, 123), address, 123, 4, 0, List.of(),
                Collections.nCopies(4, timeout), null, "timeout: no valid reply within 1000 ms (all 4 requests)");
    }

    /** A server that sent a kiss. */
    static Measurement kissed(String address, KissCode code) {
        SampleFailure kiss = SampleFailure.kiss(code, code.name());
        return new Measurement(new ServerAddress(address, 123), address, 123, 1, 0, List.of(), List.of(kiss), null,
                kiss.detail());
    }
}
