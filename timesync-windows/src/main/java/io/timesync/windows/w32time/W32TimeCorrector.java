package io.timesync.windows.w32time;

import io.timesync.time.TimeSource;
import io.timesync.correct.Backups;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.select.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static io.timesync.windows.w32time.W32TimeCommands.CONFIG_KEY;
import static io.timesync.windows.w32time.W32TimeCommands.PARAMETERS_KEY;

/**
 * Drives the Windows Time service (w32time) with its own tools: {@code reg} for the poll intervals,
 * the phase-correction limits and the client type, {@code w32tm /config} for the peers, {@code sc}
 * to heal a stopped or disabled service, {@code w32tm /resync} for the correction.
 *
 * <p>Planning reads the service's state ({@code sc query}, {@code sc qc}, {@code reg query} of the
 * Config and Parameters keys) and lists only what differs; {@code w32tm /query /configuration} tells
 * whether Group Policy overrides those keys, which is then said in the plan. A domain member (Type NT5DS or AllSync)
 * follows the domain hierarchy: it is left alone, with a warning, unless forced.
 *
 * <p>Applying reads the old value of every registry value the plan sets (its {@link Plan.SetValue} steps name them,
 * and the NtpServer that {@code w32tm /config} sets comes with the Type it writes too), saves them as a backup, then
 * runs the steps. If a step fails, the old values are written back (or deleted where there were none) and the service
 * told with {@code w32tm /config /update}; the exception carries the failing command's own message. A healed service
 * stays healed: that is logged, not undone.
 */
public final class W32TimeCorrector implements Corrector {

    private static final Logger log = LoggerFactory.getLogger(W32TimeCorrector.class);

    private final W32TimeSettings settings;
    private final CommandRunner runner;
    private final Duration timeout;
    private final boolean forceDomain;
    private final boolean review;
    private final Backups backups;
    private final Registry registry;

    /**
     * @param settings        poll intervals and phase-correction limits to write
     * @param backupDirectory where the old registry values are kept
     * @param runner          how commands are run
     * @param time            the clock for backup names
     * @param timeout         how long one command may take
     * @param keepBackups     how many backups to keep, at least 1
     * @param forceDomain     whether to reconfigure a domain member anyway
     */
    public W32TimeCorrector(W32TimeSettings settings, Path backupDirectory, CommandRunner runner, TimeSource time,
                            Duration timeout, int keepBackups, boolean forceDomain) {
        this(settings, backupDirectory, runner, time, timeout, keepBackups, forceDomain, false);
    }

    private W32TimeCorrector(W32TimeSettings settings, Path backupDirectory, CommandRunner runner, TimeSource time,
                             Duration timeout, int keepBackups, boolean forceDomain, boolean review) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.forceDomain = forceDomain;
        this.review = review;
        this.registry = new Registry(runner, timeout);
        this.backups = new Backups(backupDirectory.resolve("w32time-registry"), backupDirectory, time, keepBackups);
    }

    /**
     * A corrector that only plans, for a Windows machine it cannot ask (TimeSync runs on another OS,
     * {@code --platform windows --dry-run}): the plan lists every setting and the correction, as for a
     * machine whose values all differ; the service's state and a domain membership are checked only
     * where it runs. Its plans cannot be applied.
     */
    public static W32TimeCorrector forReview(W32TimeSettings settings, Duration timeout, boolean forceDomain) {
        CommandRunner none = (argv, t) -> {
            throw new IOException("a plan for review runs no command, not " + argv);
        };
        return new W32TimeCorrector(settings, Path.of("w32time-review"), none, TimeSource.system(), timeout, 1, forceDomain, true);
    }

    @Override
    public String service() {
        return "w32time";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IOException also when the service is not installed, or ({@link CommandFailure#accessDenied()}) when Windows refuses to show the service
     */
    @Override
    public Plan plan(Decision decision, CorrectionPolicy.Action action) throws IOException {
        int state = ScOutput.RUNNING;
        int startType = ScOutput.AUTO_START;
        RegistryValues parameters = RegistryValues.parse("");
        RegistryValues config = RegistryValues.parse("");
        List<String> notes = new ArrayList<>();
        String peers = decision.hasSelection() ? W32TimeCommands.peerList(decision.selection().servers(), notes) : "";
        notes.forEach(note -> log.warn("{}", note));
        String reason = notes.isEmpty() ? action.reason() : String.join("; ", notes) + "; " + action.reason();
        if (review) {
            reason = "planned without asking the machine: every setting is listed; there, a stopped or disabled service is"
                    + " healed first and a domain member (Type NT5DS) is left alone unless --force-domain; " + reason;
        } else {
            CommandRunner.Result query = run(W32TimeCommands.SC_QUERY);
            if (ScOutput.failure(query.stdout() + query.stderr()).orElse(0) == ScOutput.NO_SUCH_SERVICE) {
                throw new IOException("the Windows Time service (w32time) is not installed: run 'w32tm /register' as"
                        + " Administrator, then try again");
            }
            state = ScOutput.state(CommandFailure.check(query).stdout());
            startType = ScOutput.startType(CommandFailure.check(run(W32TimeCommands.SC_QC)).stdout());
            parameters = RegistryValues.parse(CommandFailure.check(run(W32TimeCommands.regQuery(PARAMETERS_KEY))).stdout());
            config = RegistryValues.parse(CommandFailure.check(run(W32TimeCommands.regQuery(CONFIG_KEY))).stdout());
            reason = policyWarning().map(w -> w + "; ").orElse("") + reason;
        }

        String type = parameters.get("Type").map(RegistryValues.Value::data).orElse("");
        if (isDomainType(type)) {
            if (!forceDomain) {
                String warning = "this computer takes its time from the domain hierarchy (w32time Type " + type
                        + "): left alone; use --force-domain to make it use the selected servers instead";
                log.warn(warning);
                return new Plan(service(), List.of(), warning + " (" + reason + ")");
            }
            log.warn("w32time Type is {}: forced to NTP with the selected servers, leaving the domain hierarchy", type);
            reason = "forced off the domain hierarchy (Type " + type + "); " + reason;
        }

        List<Plan.Step> steps = new ArrayList<>();
        if (startType != ScOutput.AUTO_START) {
            steps.add(command(W32TimeCommands.SC_AUTO_START));
        }
        if (state != ScOutput.RUNNING && state != ScOutput.START_PENDING) {
            steps.add(command(W32TimeCommands.SC_START));
        }
        boolean changed = false;
        long limit = settings.limitSeconds(action.kind() == CorrectionPolicy.Kind.STEP ? action.nanos() : 0);
        Map<String, Long> dwords = new LinkedHashMap<>();
        dwords.put("MinPollInterval", (long) settings.minPollInterval());
        dwords.put("MaxPollInterval", (long) settings.maxPollInterval());
        dwords.put("MaxPosPhaseCorrection", limit);
        dwords.put("MaxNegPhaseCorrection", limit);
        for (Map.Entry<String, Long> wanted : dwords.entrySet()) {
            Optional<Long> current = config.get(wanted.getKey()).flatMap(RegistryValues.Value::numberIfAny);
            if (current.isEmpty() || !current.get().equals(wanted.getValue())) {
                steps.add(W32TimeCommands.setValue(CONFIG_KEY, wanted.getKey(), "REG_DWORD", Long.toString(wanted.getValue())));
                changed = true;
            }
        }
        if (decision.hasSelection()) {
            if (!type.equalsIgnoreCase("NTP")) {
                steps.add(W32TimeCommands.setValue(PARAMETERS_KEY, "Type", "REG_SZ", "NTP"));
                changed = true;
            }
            if (changed || !peers.equals(parameters.get("NtpServer").map(RegistryValues.Value::data).orElse(""))) {
                steps.add(W32TimeCommands.setPeers(peers));
                changed = false;
            }
        }
        if (changed) {
            steps.add(command(W32TimeCommands.UPDATE));
        }
        switch (action.kind()) {
            case SLEW -> {
                steps.add(new Plan.SlewClock(action.nanos()));
                steps.add(command(W32TimeCommands.RESYNC_SLEW));
            }
            case STEP -> {
                steps.add(new Plan.StepClock(action.nanos()));
                steps.add(command(W32TimeCommands.RESYNC_STEP));
            }
            default -> { }
        }
        return new Plan(service(), steps, reason);
    }

    @Override
    public Applied apply(Plan plan) throws CorrectionException {
        if (review) {
            throw new CorrectionException("a plan made for review on another OS cannot be applied here", false, null);
        }
        Map<RegistryName, RegistryValues.Value> previous;
        try {
            previous = registry.read(valuesSet(plan));
            if (!previous.isEmpty()) {
                backups.save(RegistryBackup.format(previous));
            }
        } catch (IOException e) {
            throw new CorrectionException("cannot read or back up the registry values to change: " + e.getMessage()
                    + "; nothing was changed", false, e);
        }
        List<String> done = new ArrayList<>();
        try {
            for (Plan.Step step : plan.steps()) {
                if (step instanceof Plan.RunCommand c) {
                    CommandFailure.check(runner.run(c.argv(), c.timeout()));
                    if (c.argv().equals(W32TimeCommands.SC_AUTO_START) || c.argv().equals(W32TimeCommands.SC_START)) {
                        log.warn("healed the Windows Time service: {}", String.join(" ", c.argv()));
                    }
                    done.add("ran " + String.join(" ", c.argv()));
                } else if (step instanceof Plan.SetValue v) {
                    CommandFailure.check(runner.run(v.argv(), timeout));
                    done.add("ran " + String.join(" ", v.argv()));
                } else if (step instanceof Plan.SlewClock s) {
                    done.add("asked w32time to slew " + s.nanos() + " ns");
                } else if (step instanceof Plan.StepClock s) {
                    done.add("asked w32time to step " + s.nanos() + " ns");
                } else {
                    throw new IllegalArgumentException("w32time cannot carry out " + step);
                }
            }
            boolean verified = verify(plan);
            return new Applied(plan, verified, done.isEmpty() ? "nothing to change" : String.join("; ", done));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.error("w32time: {}", e.getMessage());
            if (previous.isEmpty()) {
                throw new CorrectionException(e.getMessage() + "; no registry value had been changed", true, e);
            }
            boolean restored = restore(previous);
            throw new CorrectionException(e.getMessage() + (restored ? "; the previous registry values were restored"
                    : "; RESTORING THE PREVIOUS REGISTRY VALUES FAILED, see the log"), restored, e);
        }
    }

    @Override
    public Path rollback() throws CorrectionException {
        if (review) {
            throw new CorrectionException("rollback acts on the machine itself: run it there", false, null);
        }
        try {
            Path newest = backups.newest().orElseThrow(() -> new CorrectionException(
                    "no backup of w32time's registry values: 'timesync sync' has not changed them yet", false, null));
            Map<RegistryName, RegistryValues.Value> values = RegistryBackup.parse(Files.readString(newest, StandardCharsets.UTF_8));
            registry.writeBack(values);
            return newest;
        } catch (IOException e) {
            throw new CorrectionException("cannot restore w32time's registry values: " + e.getMessage(), false, e);
        }
    }

    /**
     * A warning when Group Policy sets what TimeSync writes: w32time then uses the policy's values, not
     * the service's keys. {@code w32tm /query /configuration} tells (it may need elevation, and a
     * running service: without them, nothing is known and nothing is said).
     */
    private Optional<String> policyWarning() {
        W32tmConfiguration configuration;
        try {
            CommandRunner.Result result = run(W32TimeCommands.CONFIGURATION);
            configuration = W32tmConfiguration.parse(CommandFailure.check(result).stdout());
        } catch (IOException | IllegalArgumentException e) {
            log.debug("cannot tell whether Group Policy sets w32time's values: {}", e.getMessage());
            return Optional.empty();
        }
        List<String> byPolicy = new ArrayList<>();
        for (String name : List.of("MinPollInterval", "MaxPollInterval", "MaxPosPhaseCorrection", "MaxNegPhaseCorrection",
                "NtpClient/Type", "NtpClient/NtpServer")) {
            configuration.get(name).filter(W32tmConfiguration.Entry::fromPolicy).ifPresent(e -> byPolicy.add(name.replace("NtpClient/", "")));
        }
        if (byPolicy.isEmpty()) {
            return Optional.empty();
        }
        String warning = "Group Policy sets " + String.join(", ", byPolicy) + ": w32time uses the policy's values, not those"
                + " TimeSync writes, until the policy is changed";
        log.warn(warning);
        return Optional.of(warning);
    }

    private static boolean isDomainType(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        return t.equals("NT5DS") || t.equals("ALLSYNC");
    }

    /**
     * The registry values the plan's steps set, in the order they are first set: those to back up.
     *
     * @throws CorrectionException before anything runs, for a step w32time cannot carry out or one whose command sets
     *                             something else than the value it names
     */
    private static List<RegistryName> valuesSet(Plan plan) throws CorrectionException {
        Set<RegistryName> names = new LinkedHashSet<>();
        for (Plan.Step step : plan.steps()) {
            if (step instanceof Plan.SetValue v) {
                if (!W32TimeCommands.writesOnlyItsValue(v)) {
                    throw new CorrectionException("w32time sets a registry value only with reg add or, for the peers, w32tm"
                            + " /config; not " + v.store() + " " + v.key() + " " + v.name() + " with " + String.join(" ", v.argv())
                            + ": nothing was changed", false, null);
                }
                names.add(new RegistryName(v.key(), v.name()));
                if (W32TimeCommands.setsPeers(v)) {
                    names.add(new RegistryName(PARAMETERS_KEY, "Type"));
                }
            } else if (!(step instanceof Plan.RunCommand || step instanceof Plan.StepClock || step instanceof Plan.SlewClock)) {
                throw new CorrectionException("w32time cannot carry out " + step + ": nothing was changed", false, null);
            }
        }
        return new ArrayList<>(names);
    }

    /**
     * Whether w32time reports the peers the plan set (false: it set none); throws when it reports others. The values set
     * with reg add are as written when reg succeeds; w32tm /config writes the peers its own way.
     */
    private boolean verify(Plan plan) throws IOException {
        Optional<String> peers = plan.steps().stream().filter(s -> s instanceof Plan.SetValue).map(s -> (Plan.SetValue) s)
                .filter(W32TimeCommands::setsPeers).map(Plan.SetValue::value).reduce((first, last) -> last);
        if (peers.isEmpty()) {
            return false;
        }
        String reported = registry.data(new RegistryName(PARAMETERS_KEY, "NtpServer"));
        if (!reported.equals(peers.get())) {
            throw new IOException("after w32tm /config, NtpServer is '" + reported + "', not '" + peers.get() + "'");
        }
        return true;
    }

    private boolean restore(Map<RegistryName, RegistryValues.Value> previous) {
        try {
            registry.writeBack(previous);
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("cannot restore w32time's registry values: {}", e.getMessage());
            return false;
        }
    }

    private Plan.RunCommand command(List<String> argv) {
        return new Plan.RunCommand(argv, timeout);
    }

    private CommandRunner.Result run(List<String> argv) throws IOException {
        return runner.runReportingInterrupt(argv, timeout);
    }
}
