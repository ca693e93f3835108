package io.timesync.memo;

import java.util.List;

/**
 * The servers currently in use and the hysteresis state that guards switching away from them.
 *
 * @param servers           the selected servers ({@code host:port}), best first
 * @param challenger        the server that beat the current best in the last run, or null
 * @param challengerStreak  how many consecutive runs the challenger has beaten the current best by the margin
 */
public record Selection(List<String> servers, String challenger, int challengerStreak) {

    /** Nothing selected yet. */
    public static final Selection NONE = new Selection(List.of(), null, 0);

    /** Copies the list so the record is immutable. */
    public Selection {
        servers = List.copyOf(servers);
        if (challengerStreak < 0) {
            throw new IllegalArgumentException("challengerStreak must not be negative");
        }
    }
}
