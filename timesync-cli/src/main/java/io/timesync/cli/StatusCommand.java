package io.timesync.cli;

import io.timesync.time.Measurement;
import io.timesync.time.TimeSource;
import io.timesync.app.Machine;
import io.timesync.app.StateDirectory;
import io.timesync.app.config.Configuration;
import io.timesync.text.NanosText;
import io.timesync.memo.DecisionRecord;
import io.timesync.memo.HistorySummary;
import io.timesync.memo.JsonMemoStore;
import io.timesync.memo.Memo;
import io.timesync.memo.MemoException;
import io.timesync.memo.ServerRecord;
import io.timesync.nts.NtsSession;
import io.timesync.nts.NtsSessionStore;
import io.timesync.platform.ServicePeer;
import io.timesync.platform.ServiceState;
import io.timesync.platform.ServiceTracking;
import io.timesync.probe.AddressText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code timesync status}: what TimeSync remembers: the selection, each server's last day, the blacklist. */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        description = {"Shows the time service's own view and what TimeSync has recorded.",
            "The time service found with its own view (chrony's tracking, the sources it uses now), and what TimeSync has"
                    + " recorded: the last skew and correction, its last decision, the selected servers (NTS-authenticated"
                    + " ones marked), the hysteresis state, each server's reachability and its last 24 hours (runs answered,"
                    + " median offset, jitter, last verdict), the blacklist and the NTS sessions. Reads only; measures"
                    + " nothing over the network."},
        footer = {"", "Exit codes: 0 ok, 73 the state cannot be read."})
final class StatusCommand implements Callable<Integer> {

    private static final Duration WINDOW = Duration.ofDays(1);

    @Spec
    CommandSpec spec;

    @Mixin
    LoggingMixin logging;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the memo is kept (default: the platform's state directory).")
    Path stateDir;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Mixin
    SystemRootMixin system;

    /** The JSON document. */
    record Document(ServiceState service, String stateFile, List<String> selected, String challenger, int challengerStreak,
                    LastDecision last, List<ServerRow> servers, List<NtsRow> nts) {
    }

    /** An NTS session kept in the state directory: the server it authenticates (key) and its NTS-KE server. */
    record NtsRow(String server, String keServer, int cookies, String establishedAt) {
    }

    /** What TimeSync measured and did last; {@code action} is null before the first decision. */
    record LastDecision(Long skewNs, String skewAt, Long correctionNs, String correctionAt, String action,
                        Long actionSkewNs, String actionAt, String reason) {
    }

    /** One server; {@code authenticated}: whether its last measurement was NTS-authenticated. */
    record ServerRow(String server, int runs, int runReach, int consecutiveFailures, int strikes, String blacklistedUntil,
                     String blacklistReason, HistorySummary lastDay, boolean authenticated) {
    }

    @Override
    public Integer call() throws InterruptedException {
        JsonMemoStore store = new JsonMemoStore(StateDirectory.resolve(TimeSyncCommand.machineOf(spec), stateDir, null));
        Memo memo;
        try {
            memo = store.load();
        } catch (MemoException e) {
            spec.commandLine().getErr().println("timesync: " + e.getMessage());
            return ExitCode.CANNOT_WRITE;
        }
        long now = TimeSource.system().wallClockNanos();
        long since = now - WINDOW.toNanos();
        List<ServerRow> rows = new ArrayList<>();
        for (Map.Entry<String, ServerRecord> e : new TreeMap<>(memo.servers()).entrySet()) {
            ServerRecord r = e.getValue();
            boolean blacklisted = r.blacklistedAt(now);
            rows.add(new ServerRow(e.getKey(), r.runs(), r.runReach(), r.consecutiveFailures(), r.strikes(),
                    blacklisted ? Instant.ofEpochSecond(0, r.blacklistedUntilUnixNanos()).toString() : null,
                    blacklisted ? r.blacklistReason() : null, HistorySummary.of(r.history(), since), r.lastAuthenticated()));
        }
        Machine machine = TimeSyncCommand.machineOf(spec);
        ServiceState service = machine.platform().serviceState(machine.host(false), system.root);
        DecisionRecord d = memo.lastDecision();
        LastDecision last = new LastDecision(memo.lastSkewNanos(), instant(memo.lastSkewAtUnixNanos()),
                memo.lastCorrectionNanos(), instant(memo.lastCorrectionAtUnixNanos()), d == null ? null : d.action(),
                d == null ? null : d.skewNanos(), d == null ? null : instant(d.atUnixNanos()), d == null ? null : d.reason());
        List<NtsRow> nts = new ArrayList<>();
        for (NtsSession session : new NtsSessionStore(store.file().resolveSibling(Configuration.SESSIONS_FILE)).load()) {
            nts.add(new NtsRow(Measurement.keyOf(AddressText.of(session.target().getAddress()), session.target().getPort()),
                    session.keServer().toString(), session.cookieCount(),
                    Instant.ofEpochSecond(0, session.establishedUnixNanos()).toString()));
        }
        Document doc = new Document(service, store.file().toString(), memo.selection().servers(), memo.selection().challenger(),
                memo.selection().challengerStreak(), last, rows, nts);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(doc, out);
        } else {
            printText(doc, out);
        }
        out.flush();
        return ExitCode.OK;
    }

    private static String instant(Long unixNanos) {
        return unixNanos == null ? null : Instant.ofEpochSecond(0, unixNanos).toString();
    }

    private static void printText(Document doc, PrintWriter out) {
        ServiceState service = doc.service();
        StringBuilder line = new StringBuilder("Time service: ").append(service.name());
        if (service.variant() != null) {
            line.append(", ").append(service.variant().equals("ntpsec") ? "NTPsec" : "classic ntp.org ntpd");
        }
        if (!service.installed()) {
            line.append(" (install one: 'timesync setup')");
        } else if (service.tracking() != null) {
            ServiceTracking t = service.tracking();
            line.append(" (active; ").append(t.synchronised() ? "synchronised to " + t.referenceName() + ", stratum "
                    + t.stratum() : "not synchronised").append(", skew ").append(NanosText.of(t.skewNanos(), true))
                    .append(", frequency ").append(String.format(Locale.ROOT, "%+.3f ppm", t.frequencyPpm())).append(")");
        } else if (service.active()) {
            line.append(" (active").append(service.frequencyPpm() == null ? ""
                    : String.format(Locale.ROOT, ", frequency %+.3f ppm", service.frequencyPpm())).append(")");
        } else {
            line.append(" (installed, not answering)");
        }
        out.println(line);
        for (ServicePeer r : service.sources()) {
            out.println("  " + r.state() + " " + r.address() + ", stratum " + r.stratum() + ", reach " + r.reach() + ", offset "
                    + NanosText.of(r.offsetNs(), true));
        }
        out.println("State: " + doc.stateFile());
        LastDecision last = doc.last();
        if (last.skewNs() != null) {
            out.println("Last skew: " + NanosText.of(last.skewNs(), true) + " at " + last.skewAt()
                    + (last.correctionNs() == null ? "; no correction yet"
                    : "; last correction " + NanosText.of(last.correctionNs(), true) + " at " + last.correctionAt()));
        }
        if (last.action() != null) {
            out.println("Last decision: " + last.action() + " at " + last.actionAt() + ", skew "
                    + NanosText.of(last.actionSkewNs(), true) + ": " + last.reason());
        }
        List<String> selected = new ArrayList<>();
        for (String key : doc.selected()) {
            // What the last run measured, not what a session promises: a session may be spent or its replies forged.
            boolean authenticated = doc.servers().stream().anyMatch(r -> r.server().equals(key) && r.authenticated());
            boolean ntsServer = doc.nts().stream().anyMatch(n -> n.server().equals(key));
            selected.add(authenticated ? key + " (NTS)" : ntsServer ? key + " (NTS server, not authenticated in the last run)" : key);
        }
        out.println("Selected: " + (selected.isEmpty() ? "nothing yet (run 'timesync optimize')"
                : String.join(", ", selected) + " (primary " + doc.selected().get(0) + ")"));
        for (NtsRow n : doc.nts()) {
            out.println("NTS: " + n.server() + " has a session through " + n.keServer() + ", " + n.cookies()
                    + " cookies, keys from " + n.establishedAt());
        }
        if (doc.challenger() != null) {
            out.println("Challenger: " + doc.challenger() + ", better on " + doc.challengerStreak() + " run(s) so far");
        }
        if (doc.servers().isEmpty()) {
            return;
        }
        out.println();
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"SERVER", "RUNS", "REACH", "24H ANSWERED", "MEDIAN OFFSET", "JITTER", "LAST VERDICT"});
        List<ServerRow> blacklisted = new ArrayList<>();
        for (ServerRow r : doc.servers()) {
            HistorySummary d = r.lastDay();
            lines.add(new String[] {r.server(), Integer.toString(r.runs()), Integer.toOctalString(r.runReach()),
                d.answered() + "/" + d.runs(), d.medianOffsetNanos() == null ? "-" : NanosText.of(d.medianOffsetNanos(), true),
                d.jitterNanos() == null ? "-" : NanosText.of(d.jitterNanos(), false),
                d.lastVerdict() == null ? "-" : d.lastVerdict().replace('_', '-')});
            if (r.blacklistedUntil() != null) {
                blacklisted.add(r);
            }
        }
        Table.print(lines, 1, 5, out);
        if (!blacklisted.isEmpty()) {
            out.println();
            out.println("Blacklisted:");
            for (ServerRow r : blacklisted) {
                out.println("  " + r.server() + " until " + r.blacklistedUntil() + ": " + r.blacklistReason());
            }
        }
    }
}
