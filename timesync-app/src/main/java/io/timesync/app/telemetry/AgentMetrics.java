package io.timesync.app.telemetry;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.timesync.agent.AgentState;
import io.timesync.agent.CycleKind;
import io.timesync.agent.CycleReport;
import io.timesync.agent.Telemetry;
import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.select.Decision;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;

/**
 * The daemon's Prometheus metrics, served over HTTP through the official Prometheus Java client at
 * {@code /metrics}. Names follow Prometheus conventions: {@code timesync_} prefix, base units
 * (seconds), {@code _total} for counters, one {@code server} label ({@code address:port}) per server.
 * The packaged alerting rules ({@code prometheus/timesync.rules.yml}) are written against these names.
 *
 * <p>A client gets {@link #MAX_REQUEST_SECONDS} to send its request; then its connection is closed.
 * The JDK's HTTP server underneath otherwise waits without limit, and the exporter's ten handler
 * threads are held by ten clients that send half a request, with every scrape queued behind them.
 */
public final class AgentMetrics implements Telemetry, AutoCloseable {

    /** How long a client may take to send its whole request. */
    public static final int MAX_REQUEST_SECONDS = 2;
    // The JDK's server reads its limits from system properties once, when its first server is made (the
    // daemon's only one is this); a value the operator set with -D is kept.
    private static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";

    static {
        if (System.getProperty(MAX_REQUEST_TIME) == null) {
            System.setProperty(MAX_REQUEST_TIME, Integer.toString(MAX_REQUEST_SECONDS));
        }
    }

    private static final double NANOS = 1e9;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge offset = gauge("timesync_server_offset_seconds", "Offset of the server's clock from ours (server - local).", Unit.SECONDS);
    private final Gauge errorBound = gauge("timesync_server_offset_error_bound_seconds",
            "Error bound of the offset: the true offset lies within offset +/- this for an honest server.", Unit.SECONDS);
    private final Gauge delay = gauge("timesync_server_delay_seconds", "Round-trip delay to the server.", Unit.SECONDS);
    private final Gauge jitter = gauge("timesync_server_jitter_seconds", "Jitter of the server's offsets (RMS of differences).", Unit.SECONDS);
    private final Gauge stratum = gauge("timesync_server_stratum", "The server's stratum.", null);
    private final Gauge reachability = gauge("timesync_server_reachability_ratio", "Share of the last run's requests the server answered.", Unit.RATIO);
    private final Gauge score = gauge("timesync_server_score", "The server's selection score, 0 to 100.", null);
    private final Gauge selected = gauge("timesync_server_selected", "1 when the server is in the selection, else 0.", null);
    private final Gauge authenticated = gauge("timesync_server_authenticated",
            "1 when the server's last measurement was NTS-authenticated, else 0.", null);
    private final Gauge blacklisted = gauge("timesync_server_blacklisted",
            "1 while the last decision found the server on the blacklist, else 0.", null);
    private final Gauge ntsRequired = Gauge.builder().name("timesync_nts_required")
            .help("1 when only NTS-authenticated servers may be selected, else 0.").register(registry);
    // Labelled so that there is no series (rather than a 0) until the service has been read.
    private final Gauge serviceSkew = Gauge.builder().name("timesync_service_skew_seconds").unit(Unit.SECONDS)
            .labelNames("service")
            .help("The local time service's own view of the skew (reference - local), as last read between polls.")
            .register(registry);
    private final Gauge lastOutcome = Gauge.builder().name("timesync_last_cycle_outcome").labelNames("outcome")
            .help("1 for how the last cycle ended (in_sync, applied, refused, correction_failed, ...), 0 for the others.")
            .register(registry);
    private final Gauge skew = Gauge.builder().name("timesync_skew_seconds").unit(Unit.SECONDS)
            .help("The last measured skew of the local clock (reference - local).").register(registry);
    private final Gauge lastSync = Gauge.builder().name("timesync_last_sync_timestamp_seconds").unit(Unit.SECONDS)
            .help("When the last cycle measured a trustworthy skew and left the clock right (Unix time).").register(registry);
    private final Gauge state = Gauge.builder().name("timesync_agent_state").labelNames("state")
            .help("1 for the agent's current state (starting, synchronized, outage, stopped), 0 for the others.").register(registry);
    private final Counter cycles = Counter.builder().name("timesync_cycles_total").labelNames("kind", "outcome")
            .help("Cycles run, by kind and outcome.").register(registry);
    private final Counter corrections = Counter.builder().name("timesync_corrections_total").labelNames("kind")
            .help("Clock corrections applied through the time service, by kind (slew, step).").register(registry);
    private final Counter refusals = Counter.builder().name("timesync_refusals_total")
            .help("Corrections refused because the skew was beyond the panic bound; checks that find the same skew"
                    + " refused again count once.").register(registry);
    private final Counter failures = Counter.builder().name("timesync_correction_failures_total")
            .help("Corrections that failed (and were rolled back); checks that fail again for the same skew count once.")
            .register(registry);
    private final Counter stateWriteFailures = Counter.builder().name("timesync_state_write_failures_total")
            .help("Cycles whose memo could not be written to the state directory (the agent kept it in memory).")
            .register(registry);
    // The cadence a mode promises shows here: an ultrafast daemon with its own servers decides about every second.
    private final Histogram decisionInterval = Histogram.builder().name("timesync_decision_interval_seconds").unit(Unit.SECONDS)
            .help("Time between two decisions on a measured skew, by the wall clock (a step of the clock shifts one).")
            .classicOnly().classicUpperBounds(0.5, 1, 1.5, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048)
            .register(registry);
    private final HTTPServer server;
    // When the last decision on a measured skew was made (Unix nanoseconds), or null before the first.
    private Long lastDecisionAt;
    // The source the time service's readings carry, or null when there is no service to read.
    private volatile String serviceSource;

    private AgentMetrics(InetAddress address, int port) throws IOException {
        for (AgentState s : AgentState.values()) {
            state.labelValues(name(s)).set(s == AgentState.STARTING ? 1 : 0);
        }
        for (CycleReport.Outcome o : CycleReport.Outcome.values()) {
            lastOutcome.labelValues(name(o)).set(0);
        }
        server = HTTPServer.builder().inetAddress(address).port(port).registry(registry).buildAndStart();
    }

    /**
     * Serves the metrics on {@code address:port} (port 0: any free port).
     *
     * @throws IOException when the port cannot be bound
     */
    public static AgentMetrics serve(InetAddress address, int port) throws IOException {
        return new AgentMetrics(address, port);
    }

    /**
     * What the agent runs with, for the rules that need it.
     *
     * @param serviceSource the source its service cycles name when they read the time service
     *                      ({@code Probe.source()}), or null when there is none to read
     * @param nts           whether only NTS-authenticated servers may be selected
     */
    public void runsWith(String serviceSource, boolean nts) {
        this.serviceSource = serviceSource;
        ntsRequired.set(nts ? 1 : 0);
    }

    /** The port served. */
    public int port() {
        return server.getPort();
    }

    private Gauge gauge(String name, String help, Unit unit) {
        Gauge.Builder b = Gauge.builder().name(name).help(help).labelNames("server");
        if (unit != null) {
            b.unit(unit);
        }
        return b.register(registry);
    }

    @Override
    public void cycle(CycleReport r) {
        cycles.labelValues(name(r.kind()), name(r.outcome())).inc();
        if (r.recordFailure() != null) {
            stateWriteFailures.inc();
        }
        if (r.decision() != null) {
            for (Decision.Verdict v : r.decision().verdicts()) {
                server(v);
            }
        }
        if (r.skewNanos() != null) {
            if (lastDecisionAt != null && r.atUnixNanos() >= lastDecisionAt) {
                decisionInterval.observe((r.atUnixNanos() - lastDecisionAt) / NANOS);
            }
            lastDecisionAt = r.atUnixNanos();
            skew.set(r.skewNanos() / NANOS);
            // Without a service to read, a tick evaluates the last network measurement again: not the service's view.
            if (r.kind() == CycleKind.SERVICE && r.source() != null && r.source().equals(serviceSource)) {
                serviceSkew.labelValues(serviceSource).set(r.skewNanos() / NANOS);
            }
        }
        for (CycleReport.Outcome o : CycleReport.Outcome.values()) {
            lastOutcome.labelValues(name(o)).set(o == r.outcome() ? 1 : 0);
        }
        switch (r.outcome()) {
            case IN_SYNC -> lastSync.set(r.atUnixNanos() / NANOS);
            case APPLIED -> {
                CorrectionPolicy.Kind kind = r.action().kind();
                if (kind == CorrectionPolicy.Kind.SLEW || kind == CorrectionPolicy.Kind.STEP) {
                    corrections.labelValues(name(kind)).inc();
                }
                lastSync.set(r.atUnixNanos() / NANOS);
            }
            // Ultrafast checks decide again every second: a refusal or failure is counted once, not per check.
            case REFUSED -> {
                if (!r.repeated()) {
                    refusals.inc();
                }
            }
            case CORRECTION_FAILED, PLAN_FAILED -> {
                if (!r.repeated()) {
                    failures.inc();
                }
            }
            default -> {
            }
        }
    }

    private void server(Decision.Verdict v) {
        String key = v.key();
        Measurement m = v.measurement();
        if (m.sent() > 0) {
            reachability.labelValues(key).set((double) Integer.bitCount(m.reach() & 0xFF) / Math.min(m.sent(), 8));
        }
        Estimate e = m.estimate();
        if (e != null) {
            offset.labelValues(key).set(e.offsetNanos() / NANOS);
            errorBound.labelValues(key).set(e.errorBoundNanos() / NANOS);
            delay.labelValues(key).set(e.delayNanos() / NANOS);
            jitter.labelValues(key).set(e.jitterNanos() / NANOS);
            stratum.labelValues(key).set(e.best().stratum());
        }
        if (v.scored()) {
            score.labelValues(key).set(v.score());
        }
        selected.labelValues(key).set(v.kind() == Decision.Kind.SELECTED ? 1 : 0);
        authenticated.labelValues(key).set(m.authenticated() ? 1 : 0);
        blacklisted.labelValues(key).set(v.kind() == Decision.Kind.BLACKLISTED ? 1 : 0);
    }

    @Override
    public void stateChanged(AgentState from, AgentState to, String reason, long atUnixNanos) {
        state.labelValues(name(from)).set(0);
        state.labelValues(name(to)).set(1);
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        server.close();
    }
}
