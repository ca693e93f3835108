package io.timesync.platform;

/**
 * One source as the time service reports it.
 *
 * @param address  the source's address or name
 * @param state    the service's word for it ({@code selected}, {@code candidate}, ...)
 * @param stratum  its stratum
 * @param reach    the reachability register, in octal
 * @param offsetNs its offset in TimeSync's sign (source − local), nanoseconds
 */
public record ServicePeer(String address, String state, int stratum, String reach, long offsetNs) {
}
