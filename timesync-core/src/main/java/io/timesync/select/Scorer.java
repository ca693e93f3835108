package io.timesync.select;

import io.timesync.time.Measurement;
import io.timesync.memo.Memo;

import java.util.List;

/**
 * Turns the measurements of many servers into a ranked, explained {@link Decision}: which servers
 * survive, which are falsetickers or rejected and why, each metric's score, and the selection.
 *
 * <p>Implementations are pure: no I/O, no clock reads; everything they need comes in as arguments,
 * so the same inputs always give the same decision. With no majority among the candidates they
 * select nothing rather than trust a minority.
 */
public interface Scorer {

    /**
     * Decides on the servers to use.
     *
     * @param measurements  this run's measurements, one per candidate address
     * @param memo          what earlier runs remembered: selection and hysteresis state, reachability, blacklist
     * @param nowUnixNanos  the current time, for blacklist expiry
     */
    Decision decide(List<Measurement> measurements, Memo memo, long nowUnixNanos);
}
