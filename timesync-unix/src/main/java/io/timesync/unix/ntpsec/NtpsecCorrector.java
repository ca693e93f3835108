package io.timesync.unix.ntpsec;

import io.timesync.api.TimeSource;
import io.timesync.correct.Backups;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.files.AtomicFile;
import io.timesync.select.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    private static final Logger log = LoggerFactory.getLogger(NtpsecCorrector.class);

    private final Path ntpConf;
    private final Path backupDirectory;
    private final List<String> restart;
    private final List<String> ntpqPeers;
    private final CommandRunner runner;
    private final TimeSource time;
    private final Duration timeout;
    private final Duration verifyTimeout;
    private final Backups backups;

    /**
     * @param ntpConf         the ntp.conf ntpd reads
     * @param backupDirectory where old versions are kept
     * @param restart         the argument list that restarts ntpd (e.g. {@code systemctl restart ntpsec})
     * @param ntpqPeers       the argument list that lists ntpd's associations ({@code ntpq -pn})
     * @param runner          how commands are run
     * @param time            the clock for backup names and deadlines
     * @param timeout         how long one command may take
     * @param verifyTimeout   how long ntpd may take to list the new servers after its restart
     * @param keepBackups     how many backups to keep, at least 1
     */
    public NtpsecCorrector(Path ntpConf, Path backupDirectory, List<String> restart, List<String> ntpqPeers, CommandRunner runner,
                           TimeSource time, Duration timeout, Duration verifyTimeout, int keepBackups) {
        this.ntpConf = Objects.requireNonNull(ntpConf, "ntpConf");
        this.backupDirectory = Objects.requireNonNull(backupDirectory, "backupDirectory");
        this.restart = List.copyOf(restart);
        this.ntpqPeers = List.copyOf(ntpqPeers);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.time = Objects.requireNonNull(time, "time");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.verifyTimeout = Objects.requireNonNull(verifyTimeout, "verifyTimeout");
        this.backups = new Backups(ntpConf, backupDirectory, time, keepBackups);
    }

    @Override
    public String service() {
        return "ntpsec";
    }

    @Override
    public Plan plan(Decision decision, CorrectionPolicy.Action action) throws IOException {
        List<Plan.Step> steps = new ArrayList<>();
        String current = read();
        boolean restarting = false;
        if (decision.hasSelection()) {
            String block = NtpConfBlock.block(decision.selection().servers());
            if (NtpConfBlock.hosts(block).isEmpty()) {
                throw new IOException("none of the selected servers is on port 123, the only port ntpd talks to;"
                        + " nothing is changed");
            }
            String updated = NtpConfBlock.apply(current, block);
            if (!updated.equals(current)) {
                steps.add(new Plan.WriteFile(ntpConf, updated));
                steps.add(new Plan.RunCommand(restart, timeout));
                restarting = true;
            }
        }
        switch (action.kind()) {
            case STEP -> {
                if (!restarting) {
                    steps.add(new Plan.RunCommand(restart, timeout));
                }
                steps.add(new Plan.StepClock(action.nanos()));
            }
            case SLEW -> steps.add(new Plan.SlewClock(action.nanos()));
            default -> { }
        }
        return new Plan(service(), steps, action.reason());
    }

    @Override
    public Applied apply(Plan plan) throws CorrectionException {
        Plan.WriteFile write = plan.steps().stream().filter(Plan.WriteFile.class::isInstance).map(Plan.WriteFile.class::cast)
                .reduce((a, b) -> b).orElse(null);
        String previous;
        try {
            previous = read();
            if (write != null) {
                backups.save(previous);
            }
        } catch (IOException e) {
            throw new CorrectionException("cannot back up " + ntpConf + ": " + e.getMessage() + "; nothing was changed", false, e);
        }
        List<String> done = new ArrayList<>();
        try {
            for (Plan.Step step : plan.steps()) {
                if (step instanceof Plan.WriteFile w) {
                    AtomicFile.write(w.path(), w.content().getBytes(StandardCharsets.UTF_8));
                    done.add("wrote " + w.path());
                } else if (step instanceof Plan.RunCommand c) {
                    run(c.argv());
                    done.add("ran " + String.join(" ", c.argv()));
                } else if (step instanceof Plan.StepClock || step instanceof Plan.SlewClock) {
                    done.add("left the correction to ntpd");
                } else {
                    throw new IllegalArgumentException("ntpd cannot carry out " + step);
                }
            }
            boolean verified = write != null && verify(NtpConfBlock.hosts(write.content()));
            return new Applied(plan, verified, done.isEmpty() ? "nothing to change" : String.join("; ", done));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (write == null) {
                throw new CorrectionException(e.getMessage(), false, e);
            }
            boolean restored = restore(previous);
            throw new CorrectionException(e.getMessage() + (restored ? "; the previous ntp.conf was restored and ntpd restarted"
                    : "; RESTORING THE PREVIOUS ntp.conf FAILED, see the log"), restored, e);
        }
    }

    @Override
    public Path rollback() throws CorrectionException {
        try {
            Path newest = backups.newest().orElseThrow(() -> new CorrectionException(
                    "no backup of " + ntpConf + " in " + backupDirectory, false, null));
            backups.restoreFrom(newest);
            run(restart);
            return newest;
        } catch (IOException e) {
            throw new CorrectionException("cannot restore the last backup of " + ntpConf + ": " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CorrectionException("interrupted while restoring " + ntpConf, false, e);
        }
    }

    private boolean verify(Set<String> wanted) throws IOException, InterruptedException {
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
                        return true;
                    }
                    Set<String> missing = new HashSet<>(wanted);
                    missing.removeAll(listed);
                    last = "ntpd does not list " + missing;
                }
            } catch (IllegalArgumentException e) {
                last = e.getMessage();
            }
            if (time.monotonicNanos() - deadline >= 0) {
                throw new IOException("after the restart, " + last + " (waited " + verifyTimeout.toMillis() + " ms)");
            }
            Thread.sleep(200);
        }
    }

    private void run(List<String> argv) throws IOException, InterruptedException {
        CommandRunner.Result result = runner.run(argv, timeout);
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", argv) + " failed (exit " + result.exitCode() + "): "
                    + (result.stderr() + result.stdout()).strip());
        }
    }

    private boolean restore(String previous) {
        try {
            backups.restore(previous);
            run(restart);
            return true;
        } catch (IOException | InterruptedException | RuntimeException e) {
            log.error("cannot restore {}: {}", ntpConf, e.toString());
            return false;
        }
    }

    private String read() throws IOException {
        try {
            return Files.readString(ntpConf, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(ntpConf + " does not exist: is ntpd installed?", e);
        }
    }
}
