package io.timesync.select;

import io.timesync.time.ServerAddress;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where candidate servers come from, in order of precedence: servers and a pool named by the user;
 * else those of the configuration; else the defaults, which are the regional pool zones for the
 * time zone, the global pool and well-known vendor servers.
 */
public final class Candidates {

    /** Vendor servers in the defaults (Google's smears leap seconds and is never mixed with the others). */
    public static final List<String> VENDORS = List.of("time.cloudflare.com", "time.google.com", "sth1.ntp.se",
            "sth2.ntp.se", "time.nist.gov");

    /**
     * Public NTS servers (RFC 8915) in the defaults, measured with authentication beside the plain
     * candidates; key establishment on port 4460. None of them smears leap seconds.
     */
    public static final List<String> NTS_VENDORS = List.of("time.cloudflare.com", "nts.netnod.se", "ptbtime1.ptb.de",
            "ntppool1.time.nl");

    /** The NTS-KE port of the defaults. */
    private static final int NTS_KE_PORT = 4460;

    private Candidates() {
    }

    /** {@link #NTS_VENDORS} as NTS-KE servers. */
    public static List<ServerAddress> ntsDefaults() {
        List<ServerAddress> servers = new ArrayList<>(NTS_VENDORS.size());
        for (String host : NTS_VENDORS) {
            servers.add(new ServerAddress(host, NTS_KE_PORT));
        }
        return servers;
    }

    /**
     * The candidates.
     *
     * @param servers       servers named explicitly ({@code --server})
     * @param pool          a pool forced by the user ({@code --pool}), or null
     * @param configServers servers from the configuration file
     * @param region        the user's region ({@code --region}: zone, country or continent), or null for {@code zone}
     * @param zone          the system time zone
     * @throws IllegalArgumentException for an unknown region or an invalid name
     */
    public static List<ServerAddress> choose(List<ServerAddress> servers, String pool, List<ServerAddress> configServers,
                                             String region, ZoneId zone) {
        Set<ServerAddress> chosen = new LinkedHashSet<>(servers);
        if (pool != null) {
            chosen.add(ServerAddress.parse(pool, ServerAddress.NTP_PORT));
        }
        if (!chosen.isEmpty()) {
            return List.copyOf(chosen);
        }
        if (!configServers.isEmpty()) {
            return List.copyOf(new LinkedHashSet<>(configServers));
        }
        return defaults(region == null ? RegionalPools.forZone(zone) : RegionalPools.forRegion(region));
    }

    private static List<ServerAddress> defaults(List<String> pools) {
        List<ServerAddress> defaults = new ArrayList<>();
        for (String pool : pools) {
            defaults.add(new ServerAddress(pool, ServerAddress.NTP_PORT));
        }
        for (String vendor : VENDORS) {
            defaults.add(new ServerAddress(vendor, ServerAddress.NTP_PORT));
        }
        return List.copyOf(defaults);
    }
}
