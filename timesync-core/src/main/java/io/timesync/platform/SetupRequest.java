package io.timesync.platform;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code timesync setup} is asked to put in place.
 *
 * @param root    the root of the system to set up ("/" for this one)
 * @param service the time service asked for, or null: the one installed, else the platform's default
 * @param dryRun  whether only the plan is wanted: then the platform may run the package manager's own simulation,
 *                and changes nothing
 */
public record SetupRequest(Path root, String service, boolean dryRun) {

    public SetupRequest {
        Objects.requireNonNull(root, "root");
    }
}
