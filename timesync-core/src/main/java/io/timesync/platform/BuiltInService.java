package io.timesync.platform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A time service that is part of the OS, so setup installs nothing: what setup reports instead.
 *
 * @param facts what was found, in order, for a JSON document (a value may be null: not found)
 * @param lines the same for people, one line each
 */
public record BuiltInService(Map<String, Object> facts, List<String> lines) implements ServiceSetup {

    public BuiltInService {
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        lines = List.copyOf(lines);
    }
}
