package io.timesync.testing.lab;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named network path between a client and one server: what each direction does. The lab's profiles
 * are rough models of real paths, chosen so that each stresses one thing a client must get right.
 *
 * @param name     what the lab and the relay's command line call it
 * @param toServer the client-to-server direction
 * @param toClient the server-to-client direction
 */
public record ImpairmentProfile(String name, PathImpairment toServer, PathImpairment toClient) {

    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;

    private static final Map<String, ImpairmentProfile> NAMED = new LinkedHashMap<>();

    static {
        add("none", PathImpairment.fixed(0), PathImpairment.fixed(0));
        // A data-centre or office network: sub-millisecond, symmetric, a little jitter.
        PathImpairment lan = PathImpairment.fixed(100 * US).withJitter(100 * US);
        add("lan", lan, lan);
        // Within a continent: ~30 ms round trip, some jitter, occasional short queues, rare loss.
        PathImpairment continental = PathImpairment.fixed(15 * MS).withJitter(2 * MS).withBursts(0.05, 2 * MS)
                .withLoss(0.01);
        add("continental", continental, continental);
        // Across an ocean on a congested link: ~150 ms round trip, heavy loss, some duplicates and reordering.
        PathImpairment intercontinental = PathImpairment.fixed(75 * MS).withJitter(5 * MS).withLoss(0.15)
                .withDuplication(0.02).withReorder(0.02);
        add("intercontinental-loss", intercontinental, intercontinental);
        // Different routes each way: the offset error is half the difference, which no client can see.
        add("asymmetric", PathImpairment.fixed(30 * MS).withJitter(MS), PathImpairment.fixed(3 * MS).withJitter(MS));
        // A full uplink queue: half the requests wait tens of milliseconds more, replies rarely.
        add("bufferbloat", PathImpairment.fixed(5 * MS).withJitter(MS).withBursts(0.5, 30 * MS),
                PathImpairment.fixed(5 * MS).withJitter(MS).withBursts(0.1, 5 * MS));
        // A symmetric path whose outbound route gets 40 ms longer 3 s in (between a probe's 2nd and 3rd sample).
        PathImpairment routed = PathImpairment.fixed(10 * MS).withJitter(500 * US);
        add("route-change", routed.withStep(3_000 * MS, 40 * MS), routed);
    }

    private static void add(String name, PathImpairment toServer, PathImpairment toClient) {
        NAMED.put(name, new ImpairmentProfile(name, toServer, toClient));
    }

    /** The profile called {@code name}; throws naming the known ones when there is none. */
    public static ImpairmentProfile named(String name) {
        ImpairmentProfile profile = NAMED.get(name);
        if (profile == null) {
            throw new IllegalArgumentException("no impairment profile '" + name + "'; known: " + String.join(", ", NAMED.keySet()));
        }
        return profile;
    }

    /** The names of the built-in profiles, in the lab's order. */
    public static Iterable<String> names() {
        return NAMED.keySet();
    }
}
