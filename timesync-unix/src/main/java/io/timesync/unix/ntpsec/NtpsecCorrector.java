package io.timesync.unix.ntpsec;

import io.timesync.agent.Sleeper;
import io.timesync.time.TimeSource;
import io.timesync.correct.Backups;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.select.Decision;
import io.timesync.text.DurationText;
import io.timesync.unix.host.ManagedBlock;
import io.timesync.unix.host.RestartedFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Drives ntpd (NTPsec or classic) through a managed block in its ntp.conf (see {@link NtpConfBlock}),
 * then a restart of the service, then {@code ntpq -pn} must list every selected server. ntpd has no
 * configuration checker, so the block is built only from validated names and fixed words; if the
 * restart or the check fails, the previous ntp.conf is put back and the service restarted again.
 * ntpd slews by itself, and steps by itself above 128 ms when it starts, so a step is a restart.
 */
public final class NtpsecCorrector implements Corrector {


    private final Path ntpConf;
    private final Path backupDirectory;
    private final List<String> ntpqPeers;
    private final CommandRunner runner;
    private final TimeSource time;
    private final Sleeper sleeper;
    private final Duration timeout;
    private final Duration verifyTimeout;
    private final RestartedFile changes;

    /**
     * @param ntpConf         the ntp.conf ntpd reads
     * @param backupDirectory where old versions are kept
     * @param restart         the argument list that restarts ntpd (e.g. {@code systemctl restart ntpsec})
     * @param ntpqPeers       the argument list that lists ntpd's associations ({@code ntpq -pn})
     * @param runner          how commands are run
     * @param time            the clock for backup names and deadlines
     * @param sleeper         how verification waits between asking the service
     * @param timeout         how long one command may take
     * @param verifyTimeout   how long ntpd may take to list the new servers after its restart
     * @param keepBackups     how many backups to keep, at least 1
     */
    public NtpsecCorrector(Path ntpConf, Path backupDirectory, List<String> restart, List<String> ntpqPeers, CommandRunner runner,
                           TimeSource time, Sleeper sleeper, Duration timeout, Duration verifyTimeout, int keepBackups) {
        this.ntpConf = Objects.requireNonNull(ntpConf, "ntpConf");
        this.backupDirectory = Objects.requireNonNull(backupDirectory, "backupDirectory");
        this.ntpqPeers = List.copyOf(ntpqPeers);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.time = Objects.requireNonNull(time, "time");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.verifyTimeout = Objects.requireNonNull(verifyTimeout, "verifyTimeout");
        this.changes = RestartedFile.withManagedBlock("ntpsec", ntpConf, new Backups(ntpConf, backupDirectory, time, keepBackups),
                restart, runner, timeout);
    }

    @Override
    public String service() {
        return "ntpsec";
    }

    @Override
    public Plan plan(Decision decision, CorrectionPolicy.Action action) throws IOException {
        String updated = null;
        if (decision.hasSelection()) {
            String block = NtpConfBlock.block(decision.selection().servers());
            if (NtpConfBlock.hosts(block).isEmpty()) {
                throw new IOException("none of the selected servers is on port 123, the only port ntpd talks to;"
                        + " nothing is changed");
            }
            updated = NtpConfBlock.apply(read(), block);
        }
        return changes.plan(updated, action);
    }

    @Override
    public Applied apply(Plan plan) throws CorrectionException {
        return changes.apply(plan, this::verify);
    }

    @Override
    public Path rollback() throws CorrectionException {
        return changes.rollback(this::verify);
    }

    // Only the block's servers: the user's own may be names, which ntpq -pn lists by address.
    private void verify(String written) throws IOException, InterruptedException {
        verify(NtpConfBlock.hosts(ManagedBlock.lines(written, "ntp.conf").orElse("")));
    }

    private void verify(Set<String> wanted) throws IOException, InterruptedException {
        long deadline = time.monotonicNanos() + verifyTimeout.toNanos();
        String last = "";
        while (true) {
            try {
                CommandRunner.Result result = runner.run(ntpqPeers, timeout);
                last = (result.stdout() + result.stderr()).strip();
                if (result.succeeded() && !last.contains("Socket error")) {
                    Set<String> listed = new HashSet<>();
                    for (NtpqPeer peer : NtpqPeer.parseAll(result.stdout())) {
                        listed.add(peer.remote());
                    }
                    if (listed.containsAll(wanted)) {
                        return;
                    }
                    Set<String> missing = new HashSet<>(wanted);
                    missing.removeAll(listed);
                    last = "ntpd does not list " + missing;
                }
            } catch (IllegalArgumentException e) {
                last = e.getMessage();
            }
            if (time.monotonicNanos() - deadline >= 0) {
                throw new IOException("after the restart, " + last + " (waited " + DurationText.of(verifyTimeout) + ")");
            }
            sleeper.sleepUntil(time.monotonicNanos() + 200_000_000L);
        }
    }

    private String read() throws IOException {
        String content = changes.read();
        if (content == null) {
            throw new IOException(ntpConf + " does not exist: is ntpd installed?");
        }
        return content;
    }
}
