package io.timesync.platform;

import io.timesync.ntp.Leap;

/** The time service's own account of its synchronisation, where it gives one (chrony's tracking). */
public interface ServiceTracking {

    /** Whether the service has a source and is synchronised to it. */
    boolean synchronised();

    /** The current source's address or name. */
    String referenceName();

    /** The service's stratum. */
    int stratum();

    /** The local clock's offset as the service estimates it, nanoseconds. */
    long skewNanos();

    /** The frequency correction, ppm. */
    double frequencyPpm();

    /** The leap second the service announces, if any. */
    Leap leap();
}
