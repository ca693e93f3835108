package io.timesync.select;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of server selection, with the documented defaults.
 *
 * @param jitterWeight        weight of the jitter score (default 0.35)
 * @param reachWeight         weight of the reachability score (default 0.30)
 * @param stratumWeight       weight of the stratum score (default 0.25)
 * @param latencyWeight       weight of the latency score (default 0.10)
 * @param minScore            survivors scoring below this are not selected (default 60)
 * @param minStratum          lowest stratum accepted (default 1)
 * @param maxStratum          highest stratum accepted (default 3)
 * @param maxRootDistance     candidates with a larger root distance are rejected (default 1.5 s, as ntpd's maxdist)
 * @param hysteresisPercent   a challenger must beat the current server by more than this (default 15)
 * @param stabilityThreshold  ... on this many consecutive runs (default 2)
 * @param maxSelected         how many servers a selection holds (default 4)
 * @param failuresToBlacklist runs in a row without a valid sample before a server is blacklisted (default 3)
 * @param blacklistCooldown   the first cool-down; each repeat doubles it (default 1 hour)
 * @param requireAuthenticated only NTS-authenticated servers may be selected (default false: they are preferred)
 */
public record SelectionPolicy(double jitterWeight, double reachWeight, double stratumWeight, double latencyWeight,
                              double minScore, int minStratum, int maxStratum, Duration maxRootDistance,
                              double hysteresisPercent, int stabilityThreshold, int maxSelected,
                              int failuresToBlacklist, Duration blacklistCooldown, boolean requireAuthenticated) {

    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public SelectionPolicy {
        Objects.requireNonNull(maxRootDistance, "maxRootDistance");
        Objects.requireNonNull(blacklistCooldown, "blacklistCooldown");
        for (double w : new double[] {jitterWeight, reachWeight, stratumWeight, latencyWeight}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and not negative");
            }
        }
        if (jitterWeight + reachWeight + stratumWeight + latencyWeight <= 0) {
            throw new IllegalArgumentException("at least one weight must be positive");
        }
        if (!(minScore >= 0 && minScore <= 100)) {
            throw new IllegalArgumentException("min-score must be from 0 to 100, got " + minScore);
        }
        if (minStratum < 1 || maxStratum > 15 || minStratum > maxStratum) {
            throw new IllegalArgumentException("strata must satisfy 1 <= min-stratum <= max-stratum <= 15, got "
                    + minStratum + " and " + maxStratum);
        }
        if (maxRootDistance.isNegative() || maxRootDistance.isZero()) {
            throw new IllegalArgumentException("max root distance must be positive");
        }
        if (!(hysteresisPercent >= 0) || hysteresisPercent > 1000) {
            throw new IllegalArgumentException("hysteresis-percent must be from 0 to 1000, got " + hysteresisPercent);
        }
        if (stabilityThreshold < 1 || stabilityThreshold > 1000) {
            throw new IllegalArgumentException("stability-threshold must be from 1 to 1000, got " + stabilityThreshold);
        }
        if (maxSelected < 1 || maxSelected > 64) {
            throw new IllegalArgumentException("max-selected must be from 1 to 64, got " + maxSelected);
        }
        if (failuresToBlacklist < 1) {
            throw new IllegalArgumentException("failures before blacklisting must be at least 1, got " + failuresToBlacklist);
        }
        if (blacklistCooldown.isNegative() || blacklistCooldown.isZero()) {
            throw new IllegalArgumentException("blacklist cool-down must be positive");
        }
    }

    /** A policy that prefers NTS-authenticated servers but does not require them. */
    public SelectionPolicy(double jitterWeight, double reachWeight, double stratumWeight, double latencyWeight,
                           double minScore, int minStratum, int maxStratum, Duration maxRootDistance,
                           double hysteresisPercent, int stabilityThreshold, int maxSelected,
                           int failuresToBlacklist, Duration blacklistCooldown) {
        this(jitterWeight, reachWeight, stratumWeight, latencyWeight, minScore, minStratum, maxStratum, maxRootDistance,
                hysteresisPercent, stabilityThreshold, maxSelected, failuresToBlacklist, blacklistCooldown, false);
    }

    /** The defaults of the design: 35/30/25/10, min score 60, strata 1-3, 15 % on 2 runs. */
    public static SelectionPolicy defaults() {
        return new SelectionPolicy(0.35, 0.30, 0.25, 0.10, 60, 1, 3, Duration.ofMillis(1500), 15, 2, 4, 3,
                Duration.ofHours(1));
    }

    /** A copy accepting strata {@code min} to {@code max}. */
    public SelectionPolicy withStrata(int min, int max) {
        return new SelectionPolicy(jitterWeight, reachWeight, stratumWeight, latencyWeight, minScore, min, max,
                maxRootDistance, hysteresisPercent, stabilityThreshold, maxSelected, failuresToBlacklist, blacklistCooldown, requireAuthenticated);
    }

    /** A copy with another minimum score. */
    public SelectionPolicy withMinScore(double value) {
        return new SelectionPolicy(jitterWeight, reachWeight, stratumWeight, latencyWeight, value, minStratum, maxStratum,
                maxRootDistance, hysteresisPercent, stabilityThreshold, maxSelected, failuresToBlacklist, blacklistCooldown, requireAuthenticated);
    }

    /** A copy with other hysteresis settings. */
    public SelectionPolicy withHysteresis(double percent, int runs) {
        return new SelectionPolicy(jitterWeight, reachWeight, stratumWeight, latencyWeight, minScore, minStratum, maxStratum,
                maxRootDistance, percent, runs, maxSelected, failuresToBlacklist, blacklistCooldown, requireAuthenticated);
    }

    /** A copy with other blacklist settings. */
    public SelectionPolicy withBlacklist(int failures, Duration cooldown) {
        return new SelectionPolicy(jitterWeight, reachWeight, stratumWeight, latencyWeight, minScore, minStratum, maxStratum,
                maxRootDistance, hysteresisPercent, stabilityThreshold, maxSelected, failures, cooldown, requireAuthenticated);
    }

    /**
     * A copy that requires NTS-authenticated servers ({@code true}: unauthenticated ones are rejected)
     * or prefers them ({@code false}: they rank before unauthenticated ones, which are used only
     * when no authenticated server is eligible or as further servers after them).
     */
    public SelectionPolicy withRequireAuthenticated(boolean value) {
        return new SelectionPolicy(jitterWeight, reachWeight, stratumWeight, latencyWeight, minScore, minStratum, maxStratum,
                maxRootDistance, hysteresisPercent, stabilityThreshold, maxSelected, failuresToBlacklist, blacklistCooldown,
                value);
    }
}
