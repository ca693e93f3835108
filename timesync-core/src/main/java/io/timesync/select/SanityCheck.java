package io.timesync.select;

import io.timesync.time.Measurement;
import io.timesync.time.Sample;
import io.timesync.time.SampleFailure;
import io.timesync.ntp.Leap;
import io.timesync.ntp.NtpPacket;
import io.timesync.select.Decision.Kind;
import io.timesync.select.Decision.Verdict;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The checks every measurement must pass before it may be selected or corrected to, on every path
 * (strategy best and first-reachable, the agent's measure cycles, the library's {@code measure()}):
 * an answer at all; NTS authentication when the policy requires it; RFC 5905's peer tests (§13:
 * stratum 1-15, leap indicator not 3, root distance at most MAXDIST, here the policy's
 * {@link SelectionPolicy#maxRootDistance()}, 1.5 s by default); and the policy's stratum range.
 * The codec already rejects single replies that fail the first two of RFC 5905's; checking the
 * measurement again keeps every path safe whatever made it. Pure.
 */
public final class SanityCheck {

    private final SelectionPolicy policy;

    /** The checks under {@code policy}. */
    public SanityCheck(SelectionPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Why {@code m} may not be used, as an unscored verdict ({@link Kind#UNREACHABLE},
     * {@link Kind#KISS_OF_DEATH}, {@link Kind#UNAUTHENTICATED}, {@link Kind#STRATUM},
     * {@link Kind#UNSYNCHRONIZED} or {@link Kind#ROOT_DISTANCE}), or null when it passes.
     */
    public Verdict rejection(Measurement m) {
        if (!m.answered()) {
            boolean kissed = m.failures().stream().anyMatch(f -> f.kind() == SampleFailure.Kind.KISS_OF_DEATH);
            return rejected(m, kissed ? Kind.KISS_OF_DEATH : Kind.UNREACHABLE, m.error());
        }
        if (policy.requireAuthenticated() && !m.authenticated()) {
            return rejected(m, Kind.UNAUTHENTICATED, "not authenticated with NTS, which is required");
        }
        Sample best = m.estimate().best();
        int stratum = best.stratum();
        if (stratum < Math.max(1, policy.minStratum()) || stratum > Math.min(NtpPacket.MAX_STRATUM, policy.maxStratum())) {
            return rejected(m, Kind.STRATUM, "stratum " + stratum + " outside " + policy.minStratum() + "-"
                    + policy.maxStratum());
        }
        if (best.leap() == Leap.UNSYNCHRONIZED) {
            return rejected(m, Kind.UNSYNCHRONIZED, "the server is not synchronised (leap indicator 3)");
        }
        long distance = m.estimate().rootDistanceNanos();
        if (distance > policy.maxRootDistance().toNanos()) {
            return rejected(m, Kind.ROOT_DISTANCE, "root distance " + ms(distance) + " above "
                    + ms(policy.maxRootDistance().toNanos()));
        }
        return null;
    }

    private static Verdict rejected(Measurement m, Kind kind, String reason) {
        return new Verdict(m.key(), m, kind, Double.NaN, Map.of(), reason);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
