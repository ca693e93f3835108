package io.timesync.windows.w32time;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The effective configuration as {@code w32tm /query /configuration} prints it: {@code Name: value (Source)}
 * where the source is {@code Local} (the service's own registry keys), {@code Policy} (Group Policy,
 * which overrides them) or {@code Undefined or NotUsed}. Settings of a time provider (NtpClient,
 * NtpServer, VMICTimeProvider) are keyed {@code Provider/Name}, the others by name.
 *
 * @param entries the settings in order
 */
public record W32tmConfiguration(Map<String, Entry> entries) {

    private static final Pattern SETTING = Pattern.compile("^([A-Za-z][A-Za-z0-9]*):\\s?(.*?)\\s*\\(([^()]*)\\)\\s*$");
    private static final Pattern PROVIDER = Pattern.compile("^([A-Za-z][A-Za-z0-9]*)\\s+\\(([^()]*)\\)\\s*$");

    /** Copies the map. */
    public W32tmConfiguration {
        entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /**
     * One setting.
     *
     * @param value  its value as printed
     * @param source where it comes from: {@code Local}, {@code Policy}, ...
     */
    public record Entry(String value, String source) {
        /** Whether Group Policy sets it (and so overrides what TimeSync writes into the service's keys). */
        public boolean fromPolicy() {
            return source.toLowerCase(java.util.Locale.ROOT).startsWith("policy");
        }
    }

    /** The setting {@code name} (e.g. {@code MaxPosPhaseCorrection} or {@code NtpClient/Type}). */
    public Optional<Entry> get(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * Parses the output.
     *
     * @throws IllegalArgumentException when no setting is found, with w32tm's error line if it printed one
     */
    public static W32tmConfiguration parse(String output) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        String provider = null;
        for (String raw : output.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                provider = null;
                continue;
            }
            Matcher p = PROVIDER.matcher(line);
            if (p.matches()) {
                provider = p.group(1);
                continue;
            }
            Matcher s = SETTING.matcher(line);
            if (s.matches()) {
                entries.putIfAbsent(provider == null ? s.group(1) : provider + "/" + s.group(1), new Entry(s.group(2), s.group(3)));
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(W32tmStatus.errorLine(output).map(e -> "w32tm reports: " + e)
                    .orElse("not the output of 'w32tm /query /configuration'"));
        }
        return new W32tmConfiguration(entries);
    }
}
