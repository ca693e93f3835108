package io.timesync.unix.timesyncd;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * systemd-timesyncd's state from {@code timedatectl show-timesync --all}: one {@code Name=value} per line.
 *
 * @param values every property as printed, in order
 */
public record TimesyncProperties(Map<String, String> values) {

    /** Copies the map so the record is immutable (order kept). */
    public TimesyncProperties {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Parses the output.
     *
     * @throws IllegalArgumentException for a line that is not {@code Name=value}
     */
    public static TimesyncProperties parse(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || !line.substring(0, eq).matches("[A-Za-z]+")) {
                throw new IllegalArgumentException("timedatectl: not a property line: '"
                        + (line.length() > 120 ? line.substring(0, 117) + "..." : line) + "'");
            }
            values.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return new TimesyncProperties(values);
    }

    /** The servers configured with {@code NTP=} (SystemNTPServers), in order; empty when none. */
    public List<String> systemServers() {
        return words("SystemNTPServers");
    }

    /** The fallback servers. */
    public List<String> fallbackServers() {
        return words("FallbackNTPServers");
    }

    /** The server in use, or null. */
    public String serverName() {
        return values.get("ServerName");
    }

    /** Its address, or null. */
    public String serverAddress() {
        return values.get("ServerAddress");
    }

    /**
     * The kernel's frequency correction in ppm, positive when the clock is sped up: {@code Frequency=},
     * which timesyncd prints as the kernel keeps it ({@code timex.freq}, in units of 2^-16 ppm); NaN
     * when it is missing or not a number.
     */
    public double frequencyPpm() {
        try {
            return Long.parseLong(values.getOrDefault("Frequency", "").trim()) / 65536.0;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private List<String> words(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
    }
}
