package io.timesync.testing.lab;

/**
 * What happens to one datagram in one direction.
 *
 * @param dropped          never delivered
 * @param delayNs          how long after it arrived it is sent on
 * @param duplicated       a second copy is sent too
 * @param duplicateDelayNs the copy's delay
 * @param held             held back until the next datagram in the same direction has been sent
 */
public record Fate(boolean dropped, long delayNs, boolean duplicated, long duplicateDelayNs, boolean held) {
}
