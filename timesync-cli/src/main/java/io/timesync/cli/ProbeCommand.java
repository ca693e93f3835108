package io.timesync.cli;

import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.nts.NtsClient;
import io.timesync.probe.Probe;
import io.timesync.probe.ProbeRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code timesync probe}: measures servers without changing anything. */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        description = {"Measures NTP servers: offset (server - local), delay, jitter, stratum, reachability and leap status.",
            "Every address of each name is probed, all at once. Nothing on this machine is changed; no root needed."},
        footer = {"", "Examples:", "  timesync probe pool.ntp.org time.cloudflare.com",
            "  timesync probe --json --samples 8 --spacing 100ms 127.0.0.1:11123",
            "  timesync probe --nts time.cloudflare.com --nts nts.netnod.se", "",
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

    @Mixin
    NtsOptionsMixin nts;

    // Text, converted in call(): picocli skips a positional of arity 0..* whose conversion fails
    // instead of reporting why, and the reason is what the user needs.
    @Parameters(paramLabel = "SERVER[:PORT]", arity = "0..*",
            description = "Servers to probe: a host name, an IPv4 address or [IPv6], with an optional port (default 123).")
    List<String> serverNames = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        if (serverNames.isEmpty() && nts.ntsServers.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'SERVER[:PORT]' (or --nts HOST)");
        }
        List<ServerAddress> servers = new ArrayList<>(serverNames.size());
        for (String name : serverNames) {
            try {
                servers.add(ServerAddress.parse(name, ServerAddress.NTP_PORT));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        ProbeOptions options;
        NtsClient ntsClient;
        try {
            options = probing.over(ProbeOptions.defaults(), servers);
            ntsClient = nts.ntsServers.isEmpty() ? null : nts.client(options, null, null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid option: " + e.getMessage());
        }
        List<Probe> ntsProbes = new ArrayList<>();
        for (ServerAddress server : nts.ntsServers) {
            ntsProbes.add(ntsClient.probe(server, options));
        }
        List<Measurement> measurements;
        try (ProbeRunner runner = ProbeRunner.create(options)) {
            measurements = runner.probe(servers, key -> false, ntsProbes);
        }
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
