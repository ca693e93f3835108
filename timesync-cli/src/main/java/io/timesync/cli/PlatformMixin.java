package io.timesync.cli;

import io.timesync.app.Platforms;
import io.timesync.platform.Host;
import io.timesync.platform.Platform;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --platform windows|linux|macos}: plan for another OS than the running one, so an
 * administrator can review on one machine what another would run (with {@code --dry-run}).
 */
final class PlatformMixin {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--platform", paramLabel = "windows|linux|macos", completionCandidates = Choices.PlatformNames.class,
            description = "Plan for this OS instead of the running one (only with --dry-run when it differs).")
    String name;

    /** The platform chosen: the option's, else the running machine's. */
    Platform platform() {
        if (name == null) {
            return TimeSyncCommand.machineOf(spec).platform();
        }
        try {
            return Platforms.forName(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Whether the platform chosen is not the running OS's: then only a plan can be made. */
    boolean foreign() {
        return platform().getClass() != TimeSyncCommand.machineOf(spec).platform().getClass();
    }

    /** What the chosen platform's services act through: this machine's, foreign when the platform is another OS's. */
    Host host() {
        return TimeSyncCommand.machineOf(spec).host(foreign());
    }

    /** Refuses to change anything for a foreign platform. */
    void requireDryRunIfForeign(boolean dryRun) {
        if (foreign() && !dryRun) {
            throw new ParameterException(spec.commandLine(), "--platform " + platform().name() + " plans for another machine than"
                    + " this " + TimeSyncCommand.machineOf(spec).platform().name() + " one: add --dry-run to see the plan");
        }
    }
}
