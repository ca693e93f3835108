package io.timesync.cli;

import io.timesync.api.Measurement;
import io.timesync.api.ProbeOptions;
import io.timesync.api.ServerAddress;
import io.timesync.probe.ProbeRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code timesync probe}: measures servers without changing anything. */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        description = {"Measures NTP servers: offset (server - local), delay, jitter, stratum, reachability and leap status.",
            "Every address of each name is probed, all at once. Nothing on this machine is changed; no root needed."},
        footer = {"", "Examples:", "  timesync probe pool.ntp.org time.cloudflare.com",
            "  timesync probe --json --samples 8 --spacing 100ms 127.0.0.1:11123", "",
            "Exit codes: 0 at least one server answered, 64 bad arguments, 69 no server answered, 70 internal error."})
final class ProbeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    LoggingMixin logging;

    @Mixin
    ProbeOptionsMixin probing;

    @Option(names = "--json", description = "Print one JSON document (times in nanoseconds) instead of a table.")
    boolean json;

    @Parameters(paramLabel = "SERVER[:PORT]", arity = "1..*", converter = ServerConverter.class,
            description = "Servers to probe: a host name, an IPv4 address or [IPv6], with an optional port (default 123).")
    List<ServerAddress> servers;

    @Override
    public Integer call() throws InterruptedException {
        ProbeOptions options;
        try {
            options = probing.over(ProbeOptions.defaults(), servers);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid option: " + e.getMessage());
        }
        List<Measurement> measurements = ProbeRunner.create(options).probe(servers);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ProbeReport.printJson(measurements, out);
        } else {
            ProbeReport.printTable(measurements, out);
        }
        out.flush();
        if (measurements.stream().anyMatch(Measurement::answered)) {
            return ExitCode.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("timesync: no server answered:");
        for (Measurement m : measurements) {
            err.println("  " + m.server() + (m.address() == null ? "" : " (" + m.address() + ")") + ": " + m.error());
        }
        err.flush();
        return ExitCode.NO_SERVER;
    }
}
