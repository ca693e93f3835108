package io.timesync.windows.w32time;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text of a backup of w32time's registry values, one {@code KEY\NAME<TAB>TYPE<TAB>DATA} line
 * each; a value that did not exist is written with the type {@code -} and is restored by deleting it.
 */
final class RegistryBackup {

    private static final String ABSENT = "-";

    private RegistryBackup() {
    }

    /** The backup of {@code values} (a null value: absent). */
    static String format(Map<RegistryName, RegistryValues.Value> values) {
        StringBuilder text = new StringBuilder("# w32time registry values before 'timesync sync' changed them: KEY\\NAME<TAB>TYPE<TAB>DATA\n");
        values.forEach((name, v) -> text.append(name).append('\t').append(v == null ? ABSENT : v.type()).append('\t')
                .append(v == null ? "" : v.data()).append('\n'));
        return text.toString();
    }

    /** The values a backup holds (a null value: absent). */
    static Map<RegistryName, RegistryValues.Value> parse(String backup) throws IOException {
        Map<RegistryName, RegistryValues.Value> values = new LinkedHashMap<>();
        for (String line : backup.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t", 3);
            int slash = parts[0].lastIndexOf('\\');
            if (parts.length < 2 || !parts[0].startsWith("HKLM\\") || slash < 0) {
                throw new IOException("not a backup of w32time's registry values: '" + line + "'");
            }
            values.put(new RegistryName(parts[0].substring(0, slash), parts[0].substring(slash + 1)),
                    parts[1].equals(ABSENT) ? null : new RegistryValues.Value(parts[1], parts.length > 2 ? parts[2] : ""));
        }
        return values;
    }
}
