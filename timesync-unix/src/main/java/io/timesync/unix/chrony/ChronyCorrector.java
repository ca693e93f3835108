package io.timesync.unix.chrony;

import io.timesync.agent.Sleeper;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.correct.Backups;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.files.RawText;
import io.timesync.select.Decision;
import io.timesync.text.DurationText;
import io.timesync.unix.host.FileTransaction;
import io.timesync.unix.host.ManagedBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Drives chronyd through a sources file that TimeSync owns entirely (chrony 4's {@code sourcedir},
 * e.g. {@code /etc/chrony/sources.d/timesync.sources}), so no line of the user's chrony.conf is
 * ever touched; or, where chrony.conf has no persistent sourcedir (chrony before 4), through a
 * {@link ManagedBlock} in chrony.conf itself ({@link ChronySources}: how each is written and made
 * used). chronyd slews by itself; a step is {@code chronyc makestep}. The selected servers are
 * addresses (a candidate's key), so the address deleted is the one chronyd uses.
 *
 * <p>Applying a plan is a {@link FileTransaction}: each new file is first validated with chronyd's
 * own parser ({@code chronyd -p -f}); the old file is backed up; the file is replaced atomically;
 * the sources are reloaded (or added and deleted); chronyd must list every selected address, on its
 * port, within the verification time; and only then is the change journaled ({@link Backups}, the
 * last {@code keepBackups} kept), so a failed sync leaves nothing to roll back to. If anything after
 * the replacement fails, the old file is put back and chronyd made to use it again, and the
 * exception says which step failed. chronyd keys its sources by address and keeps a source's port
 * through a reload or an add, so a source it has on another port is deleted first.
 */
public final class ChronyCorrector implements Corrector {

    private static final Logger log = LoggerFactory.getLogger(ChronyCorrector.class);
    // chronyd's default NTS-KE port (chrony.conf(5), ntsport).
    private static final int NTS_KE_PORT = 4460;

    private final ChronySources sources;
    private final Path chronyd;
    private final Chronyc chronyc;
    private final TimeSource time;
    private final Sleeper sleeper;
    private final Duration verifyTimeout;
    private final FileTransaction transaction;
    private final Chronyd chronydUse = new Chronyd();

    /**
     * @param sourcesFile    the file TimeSync owns in chronyd's sourcedir
     * @param backupDirectory where old versions are kept
     * @param chronyd        the chronyd program, used only to validate files ({@code -p -f})
     * @param chronyc        the control client
     * @param time           the clock for backup names and verification deadlines
     * @param sleeper        how verification waits between asking chronyd
     * @param verifyTimeout  how long chronyd may take to list the new sources
     * @param keepBackups    how many backups to keep, at least 1
     */
    public ChronyCorrector(Path sourcesFile, Path backupDirectory, Path chronyd, Chronyc chronyc, TimeSource time,
                           Sleeper sleeper, Duration verifyTimeout, int keepBackups) {
        this(new OwnSourcesFile(sourcesFile), backupDirectory, chronyd, chronyc, time, sleeper, verifyTimeout, keepBackups);
    }

    /**
     * A corrector that keeps the selected servers in a managed block of {@code chronyConf}, for a
     * chronyd without a persistent sourcedir; the other parameters are as for the constructor.
     */
    public static ChronyCorrector inChronyConf(Path chronyConf, Path backupDirectory, Path chronyd, Chronyc chronyc,
                                               TimeSource time, Sleeper sleeper, Duration verifyTimeout, int keepBackups) {
        return new ChronyCorrector(new ChronyConfBlock(chronyConf), backupDirectory, chronyd, chronyc, time, sleeper, verifyTimeout,
                keepBackups);
    }

    private ChronyCorrector(ChronySources sources, Path backupDirectory, Path chronyd, Chronyc chronyc,
                            TimeSource time, Sleeper sleeper, Duration verifyTimeout, int keepBackups) {
        this.sources = Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(backupDirectory, "backupDirectory");
        this.chronyd = Objects.requireNonNull(chronyd, "chronyd");
        this.chronyc = Objects.requireNonNull(chronyc, "chronyc");
        this.time = Objects.requireNonNull(time, "time");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.verifyTimeout = Objects.requireNonNull(verifyTimeout, "verifyTimeout");
        this.transaction = sources.transaction(new Backups(sources.file(), backupDirectory, time, keepBackups));
    }

    @Override
    public String service() {
        return "chrony";
    }

    /**
     * The sources file for the selected servers ({@code address:port} keys), one {@code server}
     * line each, the first of each address only (chronyd keeps one source per address). Every key
     * is validated again, so nothing but a host name or address and a port can reach the file.
     *
     * @throws IllegalArgumentException for a key that is not a valid server
     */
    public static String sourcesContent(List<String> servers) {
        return sourcesContent(servers, Map.of());
    }

    /**
     * The sources file for a decision: its selected servers, those that passed NTS as {@code nts}
     * sources of their NTS-KE server (chronyd then runs key establishment and authenticates every
     * sample itself), the others as plain ones.
     */
    public static String sourcesContent(Decision decision) {
        return OwnSourcesFile.HEADER + serverLines(decision);
    }

    // The server lines for a decision, without the sources file's header.
    private static String serverLines(Decision decision) {
        Map<String, ServerAddress> nts = new HashMap<>();
        for (Decision.Verdict verdict : decision.verdicts()) {
            if (verdict.measurement() != null && verdict.measurement().authenticated()) {
                nts.put(verdict.key(), verdict.measurement().server());
            }
        }
        return serverLines(decision.selection().servers(), nts);
    }

    /**
     * @param ntsServers the NTS-KE server of each selected key that passed NTS
     */
    static String sourcesContent(List<String> servers, Map<String, ServerAddress> ntsServers) {
        return OwnSourcesFile.HEADER + serverLines(servers, ntsServers);
    }

    private static String serverLines(List<String> servers, Map<String, ServerAddress> ntsServers) {
        StringBuilder text = new StringBuilder();
        Set<String> hosts = new HashSet<>();
        for (String key : servers) {
            ServerAddress ke = ntsServers.get(key);
            if (ke != null) {
                // Validated again: only a host name or address and a port reach the file.
                ke = new ServerAddress(ke.host(), ke.port());
                if (hosts.add(ke.host())) {
                    text.append("server ").append(ke.host()).append(" nts");
                    if (ke.port() != NTS_KE_PORT) {
                        text.append(" ntsport ").append(ke.port());
                    }
                    text.append(" iburst\n");
                }
                continue;
            }
            ServerAddress server = ServerAddress.parse(key, ServerAddress.NTP_PORT);
            if (!hosts.add(server.host())) {
                // chronyd identifies a source by its address: a second port on it would be silently dropped.
                text.append("# ").append(server).append(" left out: chronyd keeps one source per address\n");
                continue;
            }
            text.append("server ").append(server.host());
            if (server.port() != ServerAddress.NTP_PORT) {
                text.append(" port ").append(server.port());
            }
            text.append(" iburst\n");
        }
        return text.toString();
    }

    @Override
    public Plan plan(Decision decision, CorrectionPolicy.Action action) throws IOException {
        List<Plan.Step> steps = new ArrayList<>();
        if (decision.hasSelection()) {
            String current = transaction.read();
            String content = sources.content(serverLines(decision), current);
            if (!content.equals(current)) {
                steps.add(new Plan.WriteFile(sources.file(), content));
                for (List<String> argv : changes(servers(sources.serverLines(current)), content, listedPorts())) {
                    steps.add(new Plan.RunCommand(argv, chronyc.timeout()));
                }
            }
        }
        switch (action.kind()) {
            case STEP -> steps.add(new Plan.StepClock(action.nanos(), chronyc.makestep()));
            case SLEW -> steps.add(new Plan.SlewClock(action.nanos()));
            default -> { }
        }
        return new Plan(service(), steps, action.reason());
    }

    @Override
    public Applied apply(Plan plan) throws CorrectionException {
        return transaction.apply(plan, chronydUse);
    }

    /**
     * Restores the file as it was before the last applied change (the newest change in the journal)
     * and makes chronyd use it: the current file is saved first, so the rollback can be undone; in
     * chrony.conf only TimeSync's block is put back and the user's lines stay as they are now; then
     * chronyd must list the restored sources. The change leaves the journal, so another rollback goes
     * one change further back.
     *
     * @return the copy restored
     * @throws CorrectionException naming the step that failed
     */
    @Override
    public Path rollback() throws CorrectionException {
        return transaction.rollback(chronydUse);
    }

    private void validate(String content) throws CorrectionException {
        Path check = null;
        Path directory = sources.file().toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
            // Named neither *.sources nor *.conf, so chronyd never reads it from a sourcedir or confdir.
            check = Files.createTempFile(directory, ".timesync-check", ".tmp");
            Files.write(check, RawText.bytes(content));
            CommandRunner.Result result = chronyc.runner().run(List.of(chronyd.toString(), "-p", "-f", check.toString()),
                    chronyc.timeout());
            if (!result.succeeded()) {
                throw new CorrectionException("chronyd rejected the new sources (" + result.stderr().strip()
                        + "); nothing was changed", false, null);
            }
        } catch (IOException e) {
            throw new CorrectionException("cannot validate the new sources with " + chronyd + ": " + e.getMessage()
                    + "; nothing was changed", false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CorrectionException("interrupted while validating; nothing was changed", false, e);
        } finally {
            if (check != null) {
                try {
                    Files.deleteIfExists(check);
                } catch (IOException e) {
                    log.warn("cannot remove {}: {}", check, e.toString());
                }
            }
        }
    }

    // Whether chronyd lists every plain server of the file's version, each on its port; throws when
    // it does not within the verification time.
    private boolean verify(String content) throws IOException, InterruptedException {
        Map<String, Integer> wanted = new TreeMap<>();
        for (String line : servers(sources.serverLines(content))) {
            // An NTS source is named by its NTS-KE host; chronyd lists it by the NTP address that key
            // establishment gives it, so only the plain sources' addresses are awaited here.
            if (!line.contains(" nts")) {
                wanted.put(host(line), port(line));
            }
        }
        long deadline = time.monotonicNanos() + verifyTimeout.toNanos();
        while (true) {
            Set<String> missing = new TreeSet<>(wanted.keySet());
            for (ChronySource source : chronyc.sources()) {
                missing.remove(source.address());
            }
            String problem;
            if (!missing.isEmpty()) {
                problem = "chronyd does not list " + missing;
            } else {
                Map<String, Integer> ports = wanted.isEmpty() ? Map.of() : chronyc.ports();
                List<String> wrong = new ArrayList<>();
                for (Map.Entry<String, Integer> server : wanted.entrySet()) {
                    Integer port = ports.get(server.getKey());
                    if (port != null && !port.equals(server.getValue())) {
                        wrong.add(server.getKey() + " on port " + port + ", not " + server.getValue());
                    }
                }
                if (wrong.isEmpty()) {
                    return true;
                }
                problem = "chronyd uses " + String.join(", ", wrong);
            }
            if (time.monotonicNanos() - deadline >= 0) {
                throw new IOException(problem + " after " + DurationText.of(verifyTimeout));
            }
            sleeper.sleepUntil(time.monotonicNanos() + 100_000_000L);
        }
    }

    // The port chronyd uses for each address it has; empty when it cannot tell (not running: a dry
    // run still shows its plan, and applying it fails at the first command).
    private Map<String, Integer> listedPorts() {
        try {
            return chronyc.ports();
        } catch (IOException | RuntimeException e) {
            log.debug("cannot read chronyd's source ports: {}", e.toString());
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /**
     * The commands that make chronyd use the file's version {@code to} when it used the server lines
     * {@code before}: a reload of the sourcedir, or for the block in chrony.conf the deletes of the
     * servers that left it, then the adds of those that joined it (a changed line is both). chronyd
     * keys its sources by address, so a server it has on another port ({@code ports}) is deleted
     * first: neither a reload nor an add would change its port.
     */
    private List<List<String>> changes(List<String> before, String to, Map<String, Integer> ports) {
        List<String> after = servers(sources.serverLines(to));
        Set<String> deleted = new LinkedHashSet<>();
        for (String line : after) {
            Integer port = ports.get(host(line));
            if (!line.contains(" nts") && port != null && port != port(line)) {
                deleted.add(host(line));
            }
        }
        return sources.commands(chronyc, deleted, before, after);
    }

    // The address of a server line, validated: a hand-edited block cannot slip an option or a second command in.
    static String host(String line) {
        return new ServerAddress(line.split(" ")[1], ServerAddress.NTP_PORT).host();
    }

    // The NTP port of a server line.
    private static int port(String line) {
        List<String> words = List.of(line.split(" "));
        int at = words.indexOf("port");
        return at > 0 && at + 1 < words.size() ? Integer.parseInt(words.get(at + 1)) : ServerAddress.NTP_PORT;
    }

    private static List<String> servers(String lines) {
        return lines.lines().filter(l -> l.startsWith("server ")).toList();
    }

    /** chronyd as the transaction sees it: its sources reloaded (or added and deleted) to use a file. */
    private final class Chronyd implements FileTransaction.Service {
        @Override
        public String daemon() {
            return "chronyd";
        }

        @Override
        public FileTransaction.Use use() {
            return FileTransaction.Use.RELOAD;
        }

        @Override
        public String restoredAndUsed() {
            return "the previous sources were restored and reloaded";
        }

        @Override
        public void validate(String content) throws CorrectionException {
            ChronyCorrector.this.validate(content);
        }

        @Override
        public String execute(Plan.Step step) throws IOException, InterruptedException {
            if (step instanceof Plan.RunCommand command) {
                chronyc.change(command.argv());
                return "ran " + String.join(" ", command.argv());
            }
            if (step instanceof Plan.StepClock st) {
                chronyc.run(st.argv().isEmpty() ? chronyc.makestep() : st.argv());
                return "stepped by " + st.nanos() + " ns (" + String.join(" ", st.argv()) + ")";
            }
            if (step instanceof Plan.SlewClock sl) {
                log.debug("chronyd slews by itself");
                return "left a slew of " + sl.nanos() + " ns to chronyd";
            }
            throw new IllegalArgumentException("chrony cannot carry out " + step);
        }

        @Override
        public void useRestored(String restored, String written) throws IOException, InterruptedException {
            for (List<String> argv : changes(servers(sources.serverLines(written)), restored, listedPorts())) {
                chronyc.change(argv);
            }
        }

        @Override
        public void useRolledBack(String restored, String written, String current) throws IOException, InterruptedException {
            List<String> before = new ArrayList<>(servers(sources.serverLines(written)));
            for (String line : servers(sources.serverLines(current))) {
                if (!before.contains(line)) {
                    before.add(line);
                }
            }
            // Every restored line is added again: chronyd may have lost or changed it since.
            before.removeAll(servers(sources.serverLines(restored)));
            for (List<String> argv : changes(before, restored, listedPorts())) {
                chronyc.change(argv);
            }
        }

        @Override
        public boolean verify(String content) throws IOException, InterruptedException {
            return ChronyCorrector.this.verify(content);
        }
    }
}
