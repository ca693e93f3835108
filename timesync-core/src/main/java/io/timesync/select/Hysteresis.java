package io.timesync.select;

import io.timesync.memo.Selection;

/**
 * Keeps the current primary server unless another beats it clearly and repeatedly: by more than
 * {@code percent} on {@code runs} consecutive runs. Avoids flapping between servers whose scores
 * differ by noise. Pure.
 */
public final class Hysteresis {

    private Hysteresis() {
    }

    /**
     * The choice made.
     *
     * @param primary    the key to use as primary
     * @param challenger the server building up a streak against it, or null
     * @param streak     the challenger's consecutive wins
     * @param outcome    what happened
     * @param reason     why, for people
     */
    public record Choice(String primary, String challenger, int streak, Decision.Outcome outcome, String reason) {
    }

    /**
     * Chooses the primary.
     *
     * @param bestKey       the best-scored eligible candidate
     * @param bestScore     its score
     * @param currentKey    the previous primary, or null
     * @param currentScore  its score this run, or NaN when it is not eligible this run
     * @param previous      the previous selection (challenger and streak)
     * @param percent       the margin, in percent
     * @param runs          consecutive runs the margin must hold
     */
    public static Choice choose(String bestKey, double bestScore, String currentKey, double currentScore,
                                Selection previous, double percent, int runs) {
        if (currentKey == null) {
            return new Choice(bestKey, null, 0, Decision.Outcome.FIRST_SELECTION, "first selection: " + bestKey);
        }
        if (Double.isNaN(currentScore)) {
            return new Choice(bestKey, null, 0, Decision.Outcome.SWITCHED,
                    "switched from " + currentKey + " (no longer eligible) to " + bestKey);
        }
        if (bestKey.equals(currentKey)) {
            return new Choice(currentKey, null, 0, Decision.Outcome.KEPT, "kept " + currentKey + ": still the best");
        }
        if (bestScore <= currentScore * (1 + percent / 100)) {
            return new Choice(currentKey, null, 0, Decision.Outcome.KEPT, String.format(java.util.Locale.ROOT,
                    "kept %s (%.1f): %s (%.1f) is not better by more than %.0f%%", currentKey, currentScore, bestKey,
                    bestScore, percent));
        }
        int streak = bestKey.equals(previous.challenger()) ? previous.challengerStreak() + 1 : 1;
        if (streak >= runs) {
            return new Choice(bestKey, null, 0, Decision.Outcome.SWITCHED, String.format(java.util.Locale.ROOT,
                    "switched from %s (%.1f) to %s (%.1f): better by more than %.0f%% on %d consecutive runs",
                    currentKey, currentScore, bestKey, bestScore, percent, streak));
        }
        return new Choice(currentKey, bestKey, streak, Decision.Outcome.HELD_BY_HYSTERESIS, String.format(java.util.Locale.ROOT,
                "kept %s (%.1f): %s (%.1f) is better by more than %.0f%%, %d of %d runs so far", currentKey,
                currentScore, bestKey, bestScore, percent, streak, runs));
    }
}
