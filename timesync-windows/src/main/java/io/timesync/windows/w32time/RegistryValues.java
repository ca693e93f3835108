package io.timesync.windows.w32time;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of one registry key as {@code reg query KEY} (or {@code reg query KEY /v NAME}) prints
 * them: the key's full name on a line, then each value indented by four spaces as
 * {@code NAME    TYPE    DATA}, separated by four spaces; subkeys follow as unindented names and are
 * ignored. reg's type names and layout are not localised.
 *
 * @param key    the key as reg printed it (e.g. {@code HKEY_LOCAL_MACHINE\SYSTEM\...\Config}), or null
 * @param values the values by name, in order
 */
public record RegistryValues(String key, Map<String, Value> values) {

    private static final Pattern VALUE = Pattern.compile("^ {4}(\\S.*?) {4}(REG_[A-Z_]+)(?: {4}(.*)|\\s*)$");

    /** Copies the map. */
    public RegistryValues {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * One value.
     *
     * @param type its type, e.g. {@code REG_DWORD}
     * @param data its data as printed ({@code 0xa} for a DWORD)
     */
    public record Value(String type, String data) {
        /** The data of a REG_DWORD or REG_QWORD as a number. */
        public long number() {
            return Long.decode(data.strip());
        }

        /** The data as a number, or empty when it is not one (a value of another type than expected). */
        public Optional<Long> numberIfAny() {
            try {
                return Optional.of(number());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /** The value named {@code name} (case-insensitively, as the registry compares names). */
    public Optional<Value> get(String name) {
        return values.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    /** Parses the output; a key with no values (or reg's "unable to find" message) gives no values. */
    public static RegistryValues parse(String output) {
        String key = null;
        Map<String, Value> values = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            Matcher m = VALUE.matcher(line.replace("\t", "    "));
            if (m.matches()) {
                values.put(m.group(1), new Value(m.group(2), m.group(3) == null ? "" : m.group(3).strip()));
            } else if (key == null && line.startsWith("HKEY_")) {
                key = line.strip();
            } else if (line.startsWith("HKEY_") && !values.isEmpty()) {
                break;
            }
        }
        return new RegistryValues(key, values);
    }
}
