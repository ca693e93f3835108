package io.timesync.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into all its addresses (IPv4 and IPv6). Replaceable so tests need no DNS. */
@FunctionalInterface
public interface HostResolver {

    /** All addresses of {@code host}, in the resolver's order; never empty. */
    InetAddress[] resolve(String host) throws UnknownHostException;

    /** The JVM's resolver ({@link InetAddress#getAllByName}); literals are parsed, not looked up. */
    static HostResolver system() {
        return InetAddress::getAllByName;
    }
}
