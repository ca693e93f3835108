package io.timesync.unix.setup;

import io.timesync.unix.host.RootPath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The distribution as {@code os-release(5)} describes it: {@code /etc/os-release}, else
 * {@code /usr/lib/os-release}. Lines are {@code KEY=value} with shell-style quoting; comments and
 * blank lines are skipped.
 *
 * @param values every variable, unquoted, in file order
 */
public record OsRelease(Map<String, String> values) {

    /** Where os-release(5) says to look, in order. */
    public static final List<String> LOCATIONS = List.of("/etc/os-release", "/usr/lib/os-release");

    /** Copies the map so the record is immutable (order kept). */
    public OsRelease {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Reads the file of the system under {@code root}; empty when neither exists (macOS, Windows).
     *
     * @throws io.timesync.unix.host.OutsideRootException when it leads outside the root
     */
    public static Optional<OsRelease> read(Path root) throws IOException {
        RootPath under = RootPath.of(root);
        for (String location : LOCATIONS) {
            Path file = under.resolve(location, "os-release");
            if (Files.isRegularFile(file)) {
                // Lenient: a byte that is not UTF-8 is replaced, not an error.
                return Optional.of(parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)));
            }
        }
        return Optional.empty();
    }

    /** Parses the text of an os-release file; lines that are not assignments are ignored, as the spec asks. */
    public static OsRelease parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq <= 0 || !line.substring(0, eq).matches("[A-Z0-9_]+")) {
                continue;
            }
            values.put(line.substring(0, eq), unquote(line.substring(eq + 1)));
        }
        return new OsRelease(values);
    }

    /** {@code ID}, lower case; "linux" when missing, as the spec defines. */
    public String id() {
        return values.getOrDefault("ID", "linux").toLowerCase(Locale.ROOT);
    }

    /** {@code ID_LIKE}: the distributions this one derives from, closest first. */
    public List<String> idLike() {
        String like = values.get("ID_LIKE");
        List<String> ids = new ArrayList<>();
        if (like != null) {
            for (String id : like.trim().split("\\s+")) {
                if (!id.isEmpty()) {
                    ids.add(id.toLowerCase(Locale.ROOT));
                }
            }
        }
        return ids;
    }

    /** {@code PRETTY_NAME}, else {@code NAME}, else the id. */
    public String prettyName() {
        return values.getOrDefault("PRETTY_NAME", values.getOrDefault("NAME", id()));
    }

    private static String unquote(String value) {
        String v = value.strip();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            boolean doubled = v.charAt(0) == '"';
            v = v.substring(1, v.length() - 1);
            if (doubled) {
                // Inside double quotes the shell unescapes \" \\ \$ and \`.
                v = v.replaceAll("\\\\([\"\\\\$`])", "$1");
            }
        }
        return v;
    }
}
