package io.timesync.windows.w32time;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code w32tm /stripchart /computer:X /dataonly /samples:N} measured: one line per sample,
 * {@code 04:17:25, +00.0009583s} (the offset of X against this computer, X − local), or
 * {@code 10:26:45, error: 0x800705B4} when X did not answer. Without /dataonly the lines carry
 * {@code d:} (round-trip delay) and {@code o:} (offset) and a graph; both forms are read. Headers
 * ("Tracking", "Collecting", "The current time is") are localised and skipped.
 *
 * @param target   the address w32tm resolved the target to ({@code 172.16.2.1:123}), or null
 * @param samples  the answered samples, in order
 * @param failures the error text of each unanswered sample
 */
public record Stripchart(String target, List<Sample> samples, List<String> failures) {

    private static final Pattern LINE = Pattern.compile("^\\s*(\\d{1,2}:\\d{2}:\\d{2}),?\\s+(.*)$");
    private static final String SECONDS = "([+-]?\\d+(?:[.,]\\d+)?)s";
    private static final Pattern OFFSET = Pattern.compile("o:\\s*" + SECONDS);
    private static final Pattern DELAY = Pattern.compile("d:\\s*" + SECONDS);
    private static final Pattern PLAIN = Pattern.compile("^" + SECONDS);
    private static final Pattern ERROR = Pattern.compile("error:\\s*(\\S.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern TARGET = Pattern.compile("\\[([^\\]]+)]");

    /** Copies the lists. */
    public Stripchart {
        samples = List.copyOf(samples);
        failures = List.copyOf(failures);
    }

    /**
     * One sample.
     *
     * @param time        the local time printed
     * @param offsetNanos target − local
     * @param delayNanos  the round-trip delay, or null when w32tm did not print it (/dataonly)
     */
    public record Sample(String time, long offsetNanos, Long delayNanos) {
    }

    /** The median offset of the answered samples (the mean of the middle two for an even count). */
    public long medianOffsetNanos() {
        if (samples.isEmpty()) {
            throw new IllegalStateException("no sample was answered");
        }
        long[] sorted = samples.stream().mapToLong(Sample::offsetNanos).sorted().toArray();
        int mid = sorted.length / 2;
        // Offsets are far from overflowing a long: the plain mean of the middle two is safe.
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * Parses the output.
     *
     * @throws IllegalArgumentException when there is no sample line at all, with w32tm's error line if it printed one
     */
    public static Stripchart parse(String output) {
        String target = null;
        List<Sample> samples = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String line : output.lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                Matcher t = TARGET.matcher(line);
                if (target == null && samples.isEmpty() && t.find()) {
                    target = t.group(1);
                }
                continue;
            }
            String rest = m.group(2).strip();
            Matcher error = ERROR.matcher(rest);
            Matcher offset = OFFSET.matcher(rest);
            Matcher plain = PLAIN.matcher(rest);
            if (error.find()) {
                failures.add(m.group(1) + " " + error.group(1).strip());
            } else if (offset.find()) {
                Matcher delay = DELAY.matcher(rest);
                samples.add(new Sample(m.group(1), Seconds.nanos(offset.group(1)), delay.find() ? Seconds.nanos(delay.group(1)) : null));
            } else if (plain.find()) {
                samples.add(new Sample(m.group(1), Seconds.nanos(plain.group(1)), null));
            } else {
                throw new IllegalArgumentException("unreadable stripchart sample: '" + line.strip() + "'");
            }
        }
        if (samples.isEmpty() && failures.isEmpty()) {
            throw new IllegalArgumentException(W32tmStatus.errorLine(output).map(e -> "w32tm reports: " + e)
                    .orElse("not the output of 'w32tm /stripchart': no sample line" + (output.isBlank() ? " (the output is empty)" : "")));
        }
        return new Stripchart(target, samples, failures);
    }
}
