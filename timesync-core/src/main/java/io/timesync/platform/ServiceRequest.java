package io.timesync.platform;

import io.timesync.time.Mode;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which time service a command acts on and how.
 *
 * @param root        the root of the system whose service it is ({@code /} for this machine)
 * @param service     the service named by the user ({@code --service}), or null to detect it
 * @param dryRun      whether only a plan is wanted
 * @param forceDomain whether to reconfigure a Windows domain member anyway
 * @param mode        the mode, which sets a service's poll range where it has one
 */
public record ServiceRequest(Path root, String service, boolean dryRun, boolean forceDomain, Mode mode) {

    public ServiceRequest {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(mode, "mode");
    }
}
