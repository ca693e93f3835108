package io.timesync.platform;

import java.util.List;

/** Reads the sources the time service uses now, whenever asked; empty when it does not answer. */
@FunctionalInterface
public interface ServicePeers {

    /** The sources now. */
    List<ServicePeer> read() throws InterruptedException;
}
