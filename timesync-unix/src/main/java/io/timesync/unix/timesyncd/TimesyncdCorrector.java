package io.timesync.unix.timesyncd;

import io.timesync.agent.Sleeper;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.correct.Backups;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.select.Decision;
import io.timesync.unix.host.RestartedFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Drives systemd-timesyncd through a drop-in TimeSync owns
 * ({@code /etc/systemd/timesyncd.conf.d/timesync.conf}) with {@code NTP=} (the selection) and
 * {@code FallbackNTP=} (the good servers not selected), then {@code systemctl restart
 * systemd-timesyncd}; {@code timedatectl show-timesync --all} must then report the new servers, or the
 * previous drop-in is restored and the service restarted. timesyncd slews small offsets and steps
 * large ones by itself, so a step is a restart too. It talks to port 123 only.
 */
public final class TimesyncdCorrector implements Corrector {

    /** The restart. */
    public static final List<String> RESTART = List.of("systemctl", "restart", "systemd-timesyncd");
    /** The state query. */
    // --all: the properties that are empty too, so a missing one means an older timedatectl, not "none".
    public static final List<String> SHOW = List.of("timedatectl", "show-timesync", "--all");

    private final Path dropIn;
    private final CommandRunner runner;
    private final TimeSource time;
    private final Sleeper sleeper;
    private final Duration timeout;
    private final Duration verifyTimeout;
    private final RestartedFile changes;

    /**
     * @param dropIn          the drop-in file TimeSync owns
     * @param backupDirectory where old versions are kept
     * @param runner          how commands are run
     * @param time            the clock for backup names and deadlines
     * @param sleeper         how verification waits between asking the service
     * @param timeout         how long one command may take
     * @param verifyTimeout   how long timesyncd may take to report the new servers
     * @param keepBackups     how many backups to keep, at least 1
     */
    public TimesyncdCorrector(Path dropIn, Path backupDirectory, CommandRunner runner, TimeSource time, Sleeper sleeper, Duration timeout,
                              Duration verifyTimeout, int keepBackups) {
        this.dropIn = Objects.requireNonNull(dropIn, "dropIn");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.time = Objects.requireNonNull(time, "time");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.verifyTimeout = Objects.requireNonNull(verifyTimeout, "verifyTimeout");
        this.changes = new RestartedFile("timesyncd", dropIn, new Backups(dropIn, backupDirectory, time, keepBackups),
                RESTART, runner, timeout);
    }

    @Override
    public String service() {
        return "timesyncd";
    }

    /**
     * The drop-in for the selected servers and the standby ones ({@code address:port} keys), each
     * validated again; servers on other ports than 123 are left out with a comment.
     */
    public static String dropInContent(List<String> selected, List<String> standby) {
        StringBuilder comments = new StringBuilder();
        Set<String> primary = hosts(selected, comments);
        Set<String> fallback = hosts(standby, comments);
        fallback.removeAll(primary);
        StringBuilder text = new StringBuilder("# Installed by TimeSync: 'timesync sync' rewrites this file.\n")
                .append(comments).append("[Time]\nNTP=").append(String.join(" ", primary)).append('\n');
        if (!fallback.isEmpty()) {
            text.append("FallbackNTP=").append(String.join(" ", fallback)).append('\n');
        }
        return text.toString();
    }

    private static Set<String> hosts(List<String> keys, StringBuilder comments) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String key : keys) {
            ServerAddress server = ServerAddress.parse(key, ServerAddress.NTP_PORT);
            if (server.port() != ServerAddress.NTP_PORT) {
                comments.append("# ").append(server).append(" left out: systemd-timesyncd talks to port 123 only\n");
            } else {
                hosts.add(server.host());
            }
        }
        return hosts;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IOException also when no selected server is on port 123 (nothing timesyncd could use)
     */
    @Override
    public Plan plan(Decision decision, CorrectionPolicy.Action action) throws IOException {
        String content = null;
        if (decision.hasSelection()) {
            List<String> standby = decision.verdicts().stream().filter(v -> v.kind() == Decision.Kind.STANDBY)
                    .map(Decision.Verdict::key).toList();
            content = dropInContent(decision.selection().servers(), standby);
            if (configured(content).isEmpty()) {
                throw new IOException("none of the selected servers is on port 123, the only port systemd-timesyncd talks to;"
                        + " an empty NTP= would leave it to its fallback servers, so nothing is changed");
            }
        }
        return changes.plan(content, action);
    }

    @Override
    public Applied apply(Plan plan) throws CorrectionException {
        return changes.apply(plan, written -> verify(configured(written)));
    }

    @Override
    public Path rollback() throws CorrectionException {
        // A restored drop-in without NTP= leaves the servers to timesyncd.conf, which is not checked here.
        return changes.rollback(written -> {
            if (!configured(written).isEmpty()) {
                verify(configured(written));
            }
        });
    }

    private static List<String> configured(String content) {
        for (String line : content.split("\n")) {
            if (line.startsWith("NTP=")) {
                String value = line.substring(4).trim();
                return value.isEmpty() ? List.of() : List.of(value.split(" "));
            }
        }
        return List.of();
    }

    private void verify(List<String> wanted) throws IOException, InterruptedException {
        long deadline = time.monotonicNanos() + verifyTimeout.toNanos();
        while (true) {
            CommandRunner.Result result = runner.run(SHOW, timeout);
            List<String> reported = result.succeeded() ? TimesyncProperties.parse(result.stdout()).systemServers() : List.of();
            if (reported.equals(wanted)) {
                return;
            }
            if (time.monotonicNanos() - deadline >= 0) {
                throw new IOException("after the restart, timedatectl reports NTP servers " + reported + ", not " + wanted
                        + (result.succeeded() ? "" : " (" + result.stderr().strip() + ")"));
            }
            sleeper.sleepUntil(time.monotonicNanos() + 200_000_000L);
        }
    }
}
