package io.timesync.cli;

import io.timesync.agent.Cycle;
import io.timesync.time.Mode;
import io.timesync.app.config.Configuration;
import io.timesync.correct.Corrector;
import io.timesync.probe.Probe;
import io.timesync.platform.ServiceRequest;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The options that govern correction, shared by {@code sync} and {@code daemon}, and the cycle they make. */
final class CorrectionOptionsMixin {

    @Option(names = "--mode", paramLabel = "fast|ultrafast|lazy", defaultValue = "fast",
            completionCandidates = Choices.Modes.class,
            description = "The threshold to act above: fast 0.1 ms (default), ultrafast 1 us, lazy 1 ms.")
    String mode;

    @Option(names = "--service", paramLabel = "chrony|ntpsec|timesyncd|w32time",
            completionCandidates = Choices.Services.class,
            description = "Use this time service instead of detecting it.")
    String service;

    @Option(names = "--force-domain", description = "Windows: make a domain member (w32time Type NT5DS) use the selected servers.")
    boolean forceDomain;

    @Option(names = "--allow-large-step", description = "Step even beyond the panic bound (1000 s).")
    boolean allowLargeStep;

    @Option(names = "--dry-run", description = "Decide and print the plan exactly; change and record nothing.")
    boolean dryRun;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "Where status.log and status.jsonl go (default: the"
            + " platform's log directory).")
    Path logDir;

    /** The mode, or a usage error (exit 64) naming the choices. */
    Mode mode(CommandLine commandLine) {
        try {
            return Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, "'" + mode + "' is not a mode (expected fast, ultrafast or lazy)");
        }
    }

    /**
     * The corrector of the time service these options choose, on the platform chosen.
     *
     * @throws IOException with what to do, when the service is not supported, not installed or not usable
     */
    Corrector corrector(SystemRootMixin system, PlatformMixin platform, CommandLine commandLine)
            throws IOException, InterruptedException {
        return platform.platform().corrector(platform.host(), request(system, commandLine));
    }

    /** The time service these options name, under the root chosen. */
    ServiceRequest request(SystemRootMixin system, CommandLine commandLine) {
        return new ServiceRequest(system.root, service, dryRun, forceDomain, mode(commandLine));
    }

    /**
     * The cycle these options and the selection options describe.
     *
     * @param serviceProbe the service's own view of the clock, or null
     */
    Cycle cycle(Configuration run, CommandLine commandLine, Corrector corrector, Probe serviceProbe) {
        return run.cycle(mode(commandLine), allowLargeStep, dryRun, corrector, serviceProbe);
    }
}
