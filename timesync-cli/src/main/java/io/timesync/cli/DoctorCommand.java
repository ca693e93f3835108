package io.timesync.cli;

import io.timesync.api.ProbeOptions;
import io.timesync.api.ServerAddress;
import io.timesync.app.Machine;
import io.timesync.app.StateDirectory;
import io.timesync.app.config.ConfigFile;
import io.timesync.app.doctor.Check;
import io.timesync.app.doctor.Doctor;
import io.timesync.nts.NtsClient;
import io.timesync.platform.Platform;
import io.timesync.probe.HostResolver;
import io.timesync.probe.Politeness;
import io.timesync.select.Candidates;
import io.timesync.unix.RootPath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code timesync doctor}: the troubleshooting guide as a command. */
@Command(name = "doctor",
        mixinStandardHelpOptions = true,
        description = {"Checks everything a troubleshooting guide asks about, each as pass, warn or fail with the fix.",
            "A time service installed and active; the OS reports the clock synchronised; DNS resolves the servers; NTP"
                    + " replies arrive (a timeout everywhere names the firewall to look at); NTS servers complete key"
                    + " establishment (TCP 4460) and authenticate; state and log directories writable; root where correction"
                    + " needs it; no other agent holding the lock; no leap second announced; the current offset.",
            "Changes nothing; no root needed."},
        footer = {"", "Exit codes: 0 all pass, 1 something warns, 69 no time service or no server usable, 73 the state directory"
                + " cannot be written, 77 permission denied on the state directory (the first failure's code counts)."})
final class DoctorCommand implements Callable<Integer> {

    /** Two requests per address tell a lost packet from a blocked port; 2 s apart as the public pools ask. */
    private static final ProbeOptions DEFAULTS = new ProbeOptions(2, Politeness.MIN_POOL_SPACING, Duration.ofSeconds(1), 256);

    @Spec
    CommandSpec spec;

    @Mixin
    LoggingMixin logging;

    @Mixin
    ProbeOptionsMixin probing;

    @Mixin
    SystemRootMixin system;

    @Option(names = "--server", paramLabel = "HOST[:PORT]", converter = ServerConverter.class,
            description = "A server to check (repeatable; default: the configuration's, else the default pools).")
    List<ServerAddress> servers = List.of();

    @Mixin
    NtsOptionsMixin nts;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file, JSON or properties (see README): its servers and state directory.")
    Path config;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "The state directory to check (default: the platform's).")
    Path stateDir;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    /** The JSON document: the overall status and exit code, and every check in order. */
    record Document(String status, int exitCode, List<Row> checks) {
    }

    /** One check. */
    record Row(String id, String title, String status, String detail, String fix) {
    }

    @Override
    public Integer call() throws InterruptedException {
        ConfigFile settings;
        List<ServerAddress> chosen;
        List<ServerAddress> ntsChosen;
        ProbeOptions options;
        NtsClient ntsClient;
        try {
            settings = config == null ? ConfigFile.none() : ConfigFile.read(config);
            // Servers named on the command line are the ones checked; else the configuration's, plain and NTS.
            boolean named = !servers.isEmpty() || !nts.ntsServers.isEmpty();
            ntsChosen = named ? nts.ntsServers : settings.ntsServers();
            boolean noPlain = named ? servers.isEmpty() : settings.pool() == null && settings.onlyNtsServers();
            chosen = noPlain ? List.of() : Candidates.choose(servers, servers.isEmpty() ? settings.pool() : null,
                    settings.servers(), settings.region(), ZoneId.systemDefault());
            options = probing.over(DEFAULTS, Stream.concat(chosen.stream(), ntsChosen.stream()).toList());
            // No state directory: doctor changes nothing, so it keeps no NTS session either.
            ntsClient = ntsChosen.isEmpty() ? null : nts.client(options, settings.ntsTrust(), null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Machine machine = TimeSyncCommand.machineOf(spec);
        Platform platform = machine.platform();
        boolean privileged = platform.privileged(machine.userName());
        Path home = machine.userHome();
        Path logDir = StateDirectory.logs(machine, null);
        Path state = StateDirectory.resolve(machine, stateDir, settings.stateDir());
        if (!RootPath.isRealSystem(system.root)) {
            // Another system's files: its directories (as root would use them), not this user's.
            try {
                RootPath under = RootPath.of(system.root);
                logDir = under.resolve(platform.logDirectory(true, machine.env(), home).toString(), "the log directory");
                if (stateDir == null && settings.stateDir() == null) {
                    state = under.resolve(platform.stateDirectory(true, machine.env(), home).toString(), "the state directory");
                }
            } catch (IOException e) {
                spec.commandLine().getErr().println("timesync: " + e.getMessage());
                return SystemRootMixin.exitCode(e);
            }
        }
        Doctor doctor = new Doctor(system.root, platform, machine.host(false), HostResolver.system(), options, ntsClient, state,
                logDir, privileged);
        List<Check> checks = doctor.run(chosen, ntsChosen);
        int code = exitCode(checks);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Row> rows = new ArrayList<>();
            for (Check c : checks) {
                rows.add(new Row(c.id(), c.title(), c.status().label(), c.detail(), c.fix()));
            }
            JsonOutput.print(new Document(overall(code), code, rows), out);
        } else {
            print(checks, code, out);
        }
        out.flush();
        return code;
    }

    /** The exit code of a report: the first failure's, else 1 when anything warns, else 0. */
    static int exitCode(List<Check> checks) {
        for (Check c : checks) {
            if (c.status() == Check.Status.FAIL) {
                return switch (c.cause()) {
                    case PERMISSION -> ExitCode.PERMISSION;
                    case CANNOT_WRITE -> ExitCode.CANNOT_WRITE;
                    case NO_SERVER, NONE -> ExitCode.NO_SERVER;
                };
            }
        }
        return checks.stream().anyMatch(c -> c.status() == Check.Status.WARN) ? ExitCode.WARNINGS : ExitCode.OK;
    }

    private static String overall(int code) {
        return code == ExitCode.OK ? "pass" : code == ExitCode.WARNINGS ? "warn" : "fail";
    }

    private static void print(List<Check> checks, int code, PrintWriter out) {
        for (Check c : checks) {
            out.println("[" + c.status().label().toUpperCase(java.util.Locale.ROOT) + "] " + c.title() + ": " + c.detail());
            if (c.fix() != null) {
                out.println("       fix: " + c.fix());
            }
        }
        long fails = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
        long warns = checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
        out.println();
        out.println(code == ExitCode.OK ? "All checks pass."
                : fails + " failed, " + warns + " warned (exit " + code + ").");
    }
}
