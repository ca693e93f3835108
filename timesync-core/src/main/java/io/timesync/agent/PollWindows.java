package io.timesync.agent;

import io.timesync.probe.ClockFilter;
import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.Sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each selected server's samples from its last {@link ClockFilter#SIZE} polls, so that a daemon whose
 * polls are fast sends one request per server per poll and still decides on RFC 5905's clock filter
 * over eight samples: the best of the recent polls, older ones aged by the frequency tolerance.
 *
 * <p>A window belongs to an address and port ({@link Measurement#key()}): a server whose name comes
 * to resolve to another address starts an empty one, and windows of servers no longer polled are
 * dropped. A correction makes every sample taken before it wrong by the correction, so
 * {@link #clear()} empties them all. The windows live in memory only: eight polls refill them within
 * seconds, and a sample from before a restart may predate a correction made meanwhile.
 *
 * <p>The reachability register counts polls, as RFC 5905's does: a server is used while one of its
 * last eight polls was answered, and its window is dropped when none was.
 */
public final class PollWindows {

    private final Map<String, Window> windows = new HashMap<>();

    /**
     * Whether polls at {@code pollInterval} should send one request each and filter across polls:
     * when the interval is no longer than a run of {@code options.samples()} samples
     * {@code options.spacing()} apart, a run per poll would stretch every poll past its interval (an
     * ultrafast daemon with its own servers polls every second, and 4 samples 2 s apart take 6 s),
     * while one request per poll gathers as many samples in the same time and keeps the cadence.
     */
    public static boolean suit(Duration pollInterval, ProbeOptions options) {
        return pollInterval.compareTo(options.spacing().multipliedBy(options.samples())) <= 0;
    }

    /**
     * Adds a poll of one address and returns the measurement to decide on: the window's samples and
     * their filtered estimate as of {@code nowUnixNanos}, the register of the window's polls; or
     * {@code polled} itself when the name did not resolve or no poll in the window was answered.
     */
    public Measurement filtered(Measurement polled, long nowUnixNanos) {
        if (polled.address() == null) {
            return polled;
        }
        String key = polled.key();
        Window w = windows.computeIfAbsent(key, k -> new Window());
        w.add(polled);
        if (w.reach == 0) {
            windows.remove(key);
            return polled;
        }
        long newest = w.samples.get(w.samples.size() - 1).t4UnixNanos();
        return new Measurement(polled.server(), polled.address(), polled.port(), w.polls, w.reach, w.samples,
                polled.failures(), ClockFilter.estimate(w.samples, Math.max(nowUnixNanos, newest)), null,
                polled.authenticated());
    }

    /** Adds a poll made elsewhere (an optimize cycle's samples of a server it selected) without deciding on it. */
    public void record(Measurement polled) {
        if (polled.address() != null) {
            windows.computeIfAbsent(polled.key(), k -> new Window()).add(polled);
        }
    }

    /** Drops the windows of every address but those of {@code keys}. */
    public void keepOnly(Collection<String> keys) {
        windows.keySet().retainAll(keys);
    }

    /** Empties every window: the clock was corrected, so earlier samples no longer describe it. */
    public void clear() {
        windows.clear();
    }

    /** How many samples the window of {@code key} holds. */
    int size(String key) {
        Window w = windows.get(key);
        return w == null ? 0 : w.samples.size();
    }

    private static final class Window {
        private final List<Sample> samples = new ArrayList<>(ClockFilter.SIZE + 4);
        private int reach;
        private int polls;

        void add(Measurement polled) {
            reach = ((reach << 1) | (polled.answered() ? 1 : 0)) & 0xFF;
            polls = Math.min(polls + 1, ClockFilter.SIZE);
            samples.addAll(polled.samples());
            if (samples.size() > ClockFilter.SIZE) {
                samples.subList(0, samples.size() - ClockFilter.SIZE).clear();
            }
        }
    }
}
