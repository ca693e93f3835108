package io.timesync.cli;

import io.timesync.time.ServerAddress;
import io.timesync.app.config.ConfigFile;
import io.timesync.app.doctor.Check;
import io.timesync.app.doctor.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

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
        Doctor.Targets targets;
        try {
            settings = config == null ? ConfigFile.none() : ConfigFile.read(config);
            targets = Doctor.Targets.choose(settings, servers, nts.ntsServers, nts.ntsTrust, probing.given());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Doctor doctor;
        try {
            doctor = Doctor.of(TimeSyncCommand.machineOf(spec), system.root, settings, stateDir, targets);
        } catch (IOException e) {
            spec.commandLine().getErr().println("timesync: " + e.getMessage());
            return SystemRootMixin.exitCode(e);
        }
        List<Check> checks = doctor.run(targets.servers(), targets.ntsServers());
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
