package io.timesync.app.telemetry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.timesync.agent.AgentState;
import io.timesync.agent.CycleKind;
import io.timesync.agent.CycleReport;
import io.timesync.agent.Telemetry;
import io.timesync.time.Estimate;
import io.timesync.ntp.Leap;
import io.timesync.select.Decision;
import io.timesync.app.format.JsonLines;
import io.timesync.text.NanosText;
import io.timesync.text.Printable;
import io.timesync.platform.ServicePeer;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The daemon's telemetry files: {@code status.log}, one line per cycle for people, plus a line when
 * the selection changes ({@code sync}), when the time service's own state or its peers change
 * ({@code service}), when the agent's state changes ({@code state}), and when the memo cannot be
 * written or is written again ({@code memo}); and
 * {@code status.jsonl}, the same as one JSON object a line for machines. Written through logback's
 * rolling appenders: a new file each day or at 10 MB, compressed, 30 days and 1 GB kept at most.
 * Every line of {@code status.log} has its control characters escaped ({@link Printable}), so text
 * from servers or files can neither forge a line nor reach a terminal that shows the log.
 */
public final class TelemetryLog implements Telemetry, AutoCloseable {

    /** The file for people. */
    public static final String TEXT = "status.log";
    /** The file for machines: one JSON object a line. */
    public static final String JSON = "status.jsonl";
    // The least time between two readings of the service's peers that only a measure cycle asks for.
    private static final Duration PEERS_AFTER_MEASURING = Duration.ofMinutes(1);

    /** Reads the time service's current sources (peers). */
    @FunctionalInterface
    public interface Peers {
        /** The service's current peers. */
        List<ServicePeer> read() throws InterruptedException;
    }

    private final Logger text;
    private final Logger json;
    private List<String> lastSelection = List.of();
    // Why the memo could not be written, while it cannot (a line when that starts, changes and ends).
    private String unwritten;
    private String service;
    private String readingSource;
    private Peers peers;
    // The service's state and peers last reported; null before the first report.
    private String serviceState;
    private List<String> lastPeers;
    // When the peers were last read (Unix nanoseconds), or null before the first read.
    private Long peersReadAt;

    private TelemetryLog(Logger text, Logger json) {
        this.text = text;
        this.json = json;
    }

    /**
     * Opens (creating) the two files in {@code directory}.
     *
     * @throws IOException when the directory cannot be created or written
     */
    public static TelemetryLog open(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (!Files.isWritable(directory)) {
            throw new IOException("cannot write the telemetry log in " + directory);
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        return new TelemetryLog(logger(context, "timesync.telemetry.text", directory, TEXT),
                logger(context, "timesync.telemetry.json", directory, JSON));
    }

    /**
     * Reports the time service's own view when it changes: its state, from the readings of
     * {@code readingSource} (the service probe's {@link io.timesync.probe.Probe#source()}, or null when
     * it is not read), and its peers, read after every network cycle and whenever that state changes.
     */
    public void watch(String serviceName, String readingSource, Peers peerReader) {
        this.service = serviceName;
        this.readingSource = readingSource;
        this.peers = peerReader;
    }

    private static Logger logger(LoggerContext context, String name, Path directory, String file) {
        String stem = file.substring(0, file.indexOf('.'));
        String suffix = file.substring(file.indexOf('.'));
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setFile(directory.resolve(file).toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(directory.resolve(stem + ".%d{yyyy-MM-dd}.%i" + suffix + ".gz").toString());
        rolling.setMaxFileSize(FileSize.valueOf("10MB"));
        rolling.setMaxHistory(30);
        rolling.setTotalSizeCap(FileSize.valueOf("1GB"));
        rolling.start();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender.setRollingPolicy(rolling);
        appender.setEncoder(encoder);
        appender.start();
        Logger logger = context.getLogger(name);
        logger.detachAndStopAllAppenders();
        logger.addAppender(appender);
        logger.setAdditive(false);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        return logger;
    }

    @Override
    public void cycle(CycleReport r) {
        Estimate e = r.measurement() == null ? null : r.measurement().estimate();
        String kind = r.kind().name().toLowerCase(Locale.ROOT);
        String outcome = r.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-');
        String action = r.action() == null ? "none" : r.action().kind().name().toLowerCase(Locale.ROOT);
        String time = Instant.ofEpochSecond(0, r.atUnixNanos()).toString();
        // Built, not formatted: a daemon measuring every second writes one each second.
        StringBuilder text = new StringBuilder(192).append(time).append(' ').append(kind);
        for (int pad = kind.length(); pad < 8; pad++) {
            text.append(' ');
        }
        text.append(" server=").append(r.source() == null ? "-" : r.source())
                .append(" offset=").append(e == null ? "-" : NanosText.of(e.offsetNanos(), true))
                .append(" bound=").append(e == null ? "-" : NanosText.of(e.errorBoundNanos(), false))
                .append(" delay=").append(e == null ? "-" : NanosText.of(e.delayNanos(), false))
                .append(" jitter=").append(e == null ? "-" : NanosText.of(e.jitterNanos(), false))
                .append(" stratum=").append(e == null ? "-" : Integer.toString(e.best().stratum()))
                .append(" action=").append(action).append(" outcome=").append(outcome);
        if (r.outcome() != CycleReport.Outcome.IN_SYNC) {
            text.append(" (").append(r.detail()).append(')');
        }
        line(text.toString());
        Map<String, Object> doc = event(time, "cycle");
        doc.put("kind", kind);
        doc.put("server", r.source());
        doc.put("offsetNs", e == null ? null : e.offsetNanos());
        doc.put("errorBoundNs", e == null ? null : e.errorBoundNanos());
        doc.put("delayNs", e == null ? null : e.delayNanos());
        doc.put("jitterNs", e == null ? null : e.jitterNanos());
        doc.put("stratum", e == null ? null : e.best().stratum());
        doc.put("action", action);
        doc.put("actionNs", r.action() == null ? null : r.action().nanos());
        doc.put("outcome", outcome);
        doc.put("detail", r.detail());
        doc.put("memoNotWritten", r.recordFailure());
        json.info(JsonLines.line(doc));
        memoReport(r);
        syncReport(r);
        serviceReport(r);
    }

    /**
     * A line when the memo stops being written (the agent then keeps it in memory), when the reason
     * changes, and when it is written again; each cycle's JSON line says it too.
     */
    private void memoReport(CycleReport r) {
        String failure = r.recordFailure();
        if (Objects.equals(failure, unwritten)) {
            return;
        }
        Instant at = Instant.ofEpochSecond(0, r.atUnixNanos());
        String detail = failure != null ? "not written, kept in memory: " + failure : "written again";
        line(String.format(Locale.ROOT, "%s memo     %s", at, detail));
        Map<String, Object> doc = event(at.toString(), "memo");
        doc.put("written", failure == null);
        doc.put("detail", detail);
        json.info(JsonLines.line(doc));
        unwritten = failure;
    }

    /** Writes one line of status.log: text from outside (names, replies, errors) cannot break it in two. */
    private void line(String message) {
        text.info(Printable.of(message));
    }

    /** A line when the service's own state or its peers changed. */
    private void serviceReport(CycleReport r) {
        if (peers == null) {
            return;
        }
        String state = serviceState;
        if (r.kind() == CycleKind.SERVICE && readingSource != null) {
            if (readingSource.equals(r.source()) && r.measurement() != null && r.measurement().estimate() != null) {
                Estimate e = r.measurement().estimate();
                state = "synchronised to " + r.measurement().address() + ", stratum " + e.best().stratum()
                        + (e.best().leap() == Leap.NONE ? "" : ", leap " + e.best().leap().name().toLowerCase(Locale.ROOT));
            } else if (r.source() == null && r.detail() != null && r.detail().startsWith(readingSource + ": ")) {
                state = r.detail().substring(readingSource.length() + 2);
            }
        }
        boolean changed = !Objects.equals(state, serviceState);
        if (!changed && r.kind() == CycleKind.SERVICE) {
            return;
        }
        // A measure cycle configures nothing, and the service's peers change at its own polls, a minute or
        // more apart: a daemon that measures every second asks the service (a process each time) once a minute.
        if (!changed && r.kind() == CycleKind.MEASURE && peersReadAt != null
                && r.atUnixNanos() - peersReadAt < PEERS_AFTER_MEASURING.toNanos()) {
            return;
        }
        peersReadAt = r.atUnixNanos();
        List<String> now;
        try {
            now = peers.read().stream().map(p -> p.address() + "(" + p.state() + ")").toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!changed && now.equals(lastPeers)) {
            return;
        }
        serviceState = state;
        lastPeers = now;
        String shown = state == null ? "-" : state;
        Instant at = Instant.ofEpochSecond(0, r.atUnixNanos());
        line(String.format(Locale.ROOT, "%s service  service=%s state=%s peers=%s", at,
                service, shown, now.isEmpty() ? "-" : String.join(",", now)));
        Map<String, Object> doc = event(at.toString(), "service");
        doc.put("service", service);
        doc.put("state", state);
        doc.put("peers", now);
        json.info(JsonLines.line(doc));
    }

    /** A line when the configured selection changes, with the service's verdict on it. */
    private void syncReport(CycleReport r) {
        Decision d = r.decision();
        if (d == null || !d.hasSelection() || d.selection().servers().equals(lastSelection)) {
            return;
        }
        lastSelection = d.selection().servers();
        String service = r.plan() == null ? "-" : r.plan().service();
        String state = r.applied() != null ? (r.applied().verified() ? "verified" : "applied")
                : r.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-');
        Instant at = Instant.ofEpochSecond(0, r.atUnixNanos());
        line(String.format(Locale.ROOT, "%s sync     service=%s servers=%s state=%s (%s)",
                at, service, String.join(",", lastSelection), state, d.summary()));
        Map<String, Object> doc = event(at.toString(), "sync");
        doc.put("service", service);
        doc.put("servers", lastSelection);
        doc.put("state", state);
        doc.put("detail", d.summary());
        json.info(JsonLines.line(doc));
    }

    @Override
    public void stateChanged(AgentState from, AgentState to, String reason, long atUnixNanos) {
        Instant now = Instant.ofEpochSecond(0, atUnixNanos);
        line(String.format(Locale.ROOT, "%s state    %s -> %s (%s)", now, from.name().toLowerCase(Locale.ROOT),
                to.name().toLowerCase(Locale.ROOT), reason));
        Map<String, Object> doc = event(now.toString(), "state");
        doc.put("from", from.name().toLowerCase(Locale.ROOT));
        doc.put("to", to.name().toLowerCase(Locale.ROOT));
        doc.put("detail", reason);
        json.info(JsonLines.line(doc));
    }

    /** A status.jsonl document, its time and kind first. */
    private static Map<String, Object> event(String time, String event) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("time", time);
        doc.put("event", event);
        return doc;
    }

    @Override
    public void close() {
        text.detachAndStopAllAppenders();
        json.detachAndStopAllAppenders();
    }
}
