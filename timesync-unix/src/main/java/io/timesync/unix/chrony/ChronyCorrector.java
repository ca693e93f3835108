package io.timesync.unix.chrony;

import io.timesync.api.ServerAddress;
import io.timesync.api.TimeSource;
import io.timesync.correct.Backups;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.files.AtomicFile;
import io.timesync.select.Decision;
import io.timesync.text.DurationText;
import io.timesync.unix.ManagedBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Drives chronyd through a sources file that TimeSync owns entirely (chrony 4's {@code sourcedir},
 * e.g. {@code /etc/chrony/sources.d/timesync.sources}), so no line of the user's chrony.conf is
 * ever touched; or, where chrony.conf has no persistent sourcedir (chrony before 4), through a
 * {@link ManagedBlock} in chrony.conf itself. chronyd slews by itself; a step is {@code chronyc makestep}.
 *
 * <p>chronyd reads chrony.conf only when it starts ({@code reload sources} rereads the sourcedir
 * files alone), so a changed block is applied at run time: {@code chronyc delete} for each server
 * that left the block and {@code chronyc add server} for each that joined it, with the same words
 * as its line. A restart would do the same but throw away chronyd's measurements of every source
 * and may step the clock ({@code makestep} applies at start); and the file, written first, is what
 * chronyd reads at its next start. The selected servers are addresses (a candidate's key), so the
 * address deleted is the one chronyd uses.
 *
 * <p>Applying a plan: each new file is first validated with chronyd's own parser
 * ({@code chronyd -p -f}); the old file is backed up (the last {@code keepBackups} kept, named by
 * time); the file is replaced atomically; the sources are reloaded (or added and deleted); and
 * chronyd must list every selected address within the verification time. If anything after the
 * replacement fails, the old file is put back and chronyd made to use it again, and the exception
 * says so.
 */
public final class ChronyCorrector implements Corrector {

    private static final Logger log = LoggerFactory.getLogger(ChronyCorrector.class);
    private static final String HEADER = "# Managed by TimeSync: replaced on every sync; your own sources belong in another file.\n";
    // chronyd's default NTS-KE port (chrony.conf(5), ntsport).
    private static final int NTS_KE_PORT = 4460;

    private final Path sourcesFile;
    // Whether sourcesFile is chrony.conf with a managed block, rather than a file of TimeSync's own.
    private final boolean inConf;
    private final Path backupDirectory;
    private final Path chronyd;
    private final Chronyc chronyc;
    private final TimeSource time;
    private final Duration verifyTimeout;
    private final Backups backups;

    /**
     * @param sourcesFile    the file TimeSync owns in chronyd's sourcedir
     * @param backupDirectory where old versions are kept
     * @param chronyd        the chronyd program, used only to validate files ({@code -p -f})
     * @param chronyc        the control client
     * @param time           the clock for backup names and verification deadlines
     * @param verifyTimeout  how long chronyd may take to list the new sources
     * @param keepBackups    how many backups to keep, at least 1
     */
    public ChronyCorrector(Path sourcesFile, Path backupDirectory, Path chronyd, Chronyc chronyc, TimeSource time,
                           Duration verifyTimeout, int keepBackups) {
        this(sourcesFile, false, backupDirectory, chronyd, chronyc, time, verifyTimeout, keepBackups);
    }

    /**
     * A corrector that keeps the selected servers in a managed block of {@code chronyConf}, for a
     * chronyd without a persistent sourcedir; the other parameters are as for the constructor.
     */
    public static ChronyCorrector inChronyConf(Path chronyConf, Path backupDirectory, Path chronyd, Chronyc chronyc,
                                               TimeSource time, Duration verifyTimeout, int keepBackups) {
        return new ChronyCorrector(chronyConf, true, backupDirectory, chronyd, chronyc, time, verifyTimeout, keepBackups);
    }

    private ChronyCorrector(Path sourcesFile, boolean inConf, Path backupDirectory, Path chronyd, Chronyc chronyc,
                            TimeSource time, Duration verifyTimeout, int keepBackups) {
        this.inConf = inConf;
        this.sourcesFile = Objects.requireNonNull(sourcesFile, "sourcesFile");
        this.backupDirectory = Objects.requireNonNull(backupDirectory, "backupDirectory");
        this.chronyd = Objects.requireNonNull(chronyd, "chronyd");
        this.chronyc = Objects.requireNonNull(chronyc, "chronyc");
        this.time = Objects.requireNonNull(time, "time");
        this.verifyTimeout = Objects.requireNonNull(verifyTimeout, "verifyTimeout");
        this.backups = new Backups(sourcesFile, backupDirectory, time, keepBackups);
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
        return HEADER + serverLines(decision);
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
        return HEADER + serverLines(servers, ntsServers);
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
            String current = read(sourcesFile);
            String content = content(serverLines(decision), current);
            if (!content.equals(current)) {
                steps.add(new Plan.WriteFile(sourcesFile, content));
                for (List<String> argv : changes(current, content)) {
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
        List<Plan.WriteFile> writes = plan.steps().stream().filter(Plan.WriteFile.class::isInstance)
                .map(Plan.WriteFile.class::cast).toList();
        for (Plan.WriteFile write : writes) {
            validate(write);
        }
        String previous;
        try {
            previous = read(sourcesFile);
            if (!writes.isEmpty()) {
                backups.save(previous);
            }
        } catch (IOException e) {
            throw new CorrectionException("cannot back up " + sourcesFile + ": " + e.getMessage() + "; nothing was changed", false, e);
        }
        List<String> done = new ArrayList<>();
        try {
            for (Plan.Step step : plan.steps()) {
                execute(step);
                done.add(describe(step));
            }
            boolean verified = !writes.isEmpty() && verify(writes.get(writes.size() - 1).content());
            return new Applied(plan, verified, done.isEmpty() ? "nothing to change" : String.join("; ", done));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (writes.isEmpty()) {
                throw new CorrectionException(e.getMessage(), false, e);
            }
            boolean restored = restore(previous, writes.get(writes.size() - 1).content());
            throw new CorrectionException(e.getMessage() + (restored ? "; the previous sources were restored and reloaded"
                    : "; RESTORING THE PREVIOUS SOURCES FAILED, see the log"), restored, e);
        }
    }

    @Override
    public Path rollback() throws CorrectionException {
        try {
            Path newest = backups.newest().orElseThrow(() -> new CorrectionException(
                    "no backup of " + sourcesFile + " in " + backupDirectory, false, null));
            String current = read(sourcesFile);
            backups.restoreFrom(newest);
            for (List<String> argv : changes(current, read(sourcesFile))) {
                chronyc.change(argv);
            }
            return newest;
        } catch (IOException e) {
            throw new CorrectionException("cannot restore the last backup of " + sourcesFile + ": " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CorrectionException("interrupted while restoring " + sourcesFile, false, e);
        }
    }

    private void validate(Plan.WriteFile write) throws CorrectionException {
        Path check = null;
        try {
            Files.createDirectories(write.path().toAbsolutePath().getParent());
            // Named neither *.sources nor *.conf, so chronyd never reads it from a sourcedir or confdir.
            check = Files.createTempFile(write.path().toAbsolutePath().getParent(), ".timesync-check", ".tmp");
            Files.writeString(check, write.content(), StandardCharsets.UTF_8);
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

    private void execute(Plan.Step step) throws IOException, InterruptedException {
        if (step instanceof Plan.WriteFile write) {
            AtomicFile.write(write.path(), write.content().getBytes(StandardCharsets.UTF_8));
        } else if (step instanceof Plan.RunCommand command) {
            chronyc.change(command.argv());
        } else if (step instanceof Plan.StepClock st) {
            chronyc.run(st.argv().isEmpty() ? chronyc.makestep() : st.argv());
        } else if (step instanceof Plan.SlewClock) {
            log.debug("chronyd slews by itself");
        } else {
            throw new IllegalArgumentException("chrony cannot carry out " + step);
        }
    }

    private boolean verify(String content) throws IOException, InterruptedException {
        Set<String> wanted = new HashSet<>();
        for (String line : serverLinesIn(content).split("\n")) {
            // An NTS source is named by its NTS-KE host; chronyd lists it by the NTP address that key
            // establishment gives it, so only the plain sources' addresses are awaited here.
            if (line.startsWith("server ") && !line.contains(" nts")) {
                wanted.add(line.split(" ")[1]);
            }
        }
        long deadline = time.monotonicNanos() + verifyTimeout.toNanos();
        Set<String> listed = new HashSet<>();
        while (true) {
            listed.clear();
            for (ChronySource source : chronyc.sources()) {
                listed.add(source.address());
            }
            if (listed.containsAll(wanted)) {
                return true;
            }
            if (time.monotonicNanos() - deadline >= 0) {
                wanted.removeAll(listed);
                throw new IOException("chronyd does not list " + wanted + " after " + DurationText.of(verifyTimeout));
            }
            Thread.sleep(100);
        }
    }

    private boolean restore(String previous, String written) {
        try {
            backups.restore(previous);
            for (List<String> argv : changes(written, previous)) {
                chronyc.change(argv);
            }
            return true;
        } catch (IOException | InterruptedException | RuntimeException e) {
            log.error("cannot restore {}: {}", sourcesFile, e.toString());
            return false;
        }
    }

    /** The file's new content for {@code lines}, given its current content (null: there is none). */
    private String content(String lines, String current) throws IOException {
        if (!inConf) {
            return HEADER + lines;
        }
        if (current == null) {
            throw new IOException(sourcesFile + " does not exist: is chrony installed?");
        }
        String name = sourcesFile.getFileName().toString();
        Set<String> named = new HashSet<>();
        for (String line : ManagedBlock.outside(current, name).lines().toList()) {
            String[] words = line.strip().split("\\s+");
            if (words.length > 1 && Set.of("server", "pool", "peer").contains(words[0].toLowerCase(Locale.ROOT))) {
                named.add(words[1]);
            }
        }
        StringBuilder block = new StringBuilder();
        for (String line : lines.lines().toList()) {
            String[] words = line.split(" ");
            // chronyd keeps one source per address: deleting it at run time would remove the user's own.
            if (words[0].equals("server") && named.contains(words[1])) {
                block.append("# ").append(words[1]).append(" left out: ").append(name).append(" names it already\n");
            } else {
                block.append(line).append('\n');
            }
        }
        return ManagedBlock.apply(current, ManagedBlock.wrap(block.toString()), name);
    }

    /** TimeSync's server lines in a version of the file. */
    private String serverLinesIn(String content) {
        if (content == null) {
            return "";
        }
        return inConf ? ManagedBlock.lines(content, sourcesFile.getFileName().toString()).orElse("") : content;
    }

    /**
     * The commands that make chronyd use the file's version {@code to} when it used {@code from}:
     * a reload of the sourcedir, or for the block in chrony.conf the deletes of the servers that
     * left it, then the adds of those that joined it (a changed line is both).
     */
    private List<List<String>> changes(String from, String to) {
        if (!inConf) {
            return List.of(chronyc.reloadSources());
        }
        List<String> before = servers(serverLinesIn(from));
        List<String> after = servers(serverLinesIn(to));
        List<List<String>> commands = new ArrayList<>();
        for (String line : before) {
            if (!after.contains(line)) {
                // Validated: a hand-edited block cannot slip an option or a second command in.
                commands.add(chronyc.delete(new ServerAddress(line.split(" ")[1], ServerAddress.NTP_PORT).host()));
            }
        }
        for (String line : after) {
            if (!before.contains(line)) {
                commands.add(chronyc.add(List.of(line.split(" "))));
            }
        }
        return commands;
    }

    private static List<String> servers(String lines) {
        return lines.lines().filter(l -> l.startsWith("server ")).toList();
    }

    private static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String describe(Plan.Step step) {
        if (step instanceof Plan.WriteFile w) {
            return "wrote " + w.path();
        }
        if (step instanceof Plan.RunCommand c) {
            return "ran " + String.join(" ", c.argv());
        }
        if (step instanceof Plan.StepClock s) {
            return "stepped by " + s.nanos() + " ns (" + String.join(" ", s.argv()) + ")";
        }
        return "left a slew of " + ((Plan.SlewClock) step).nanos() + " ns to chronyd";
    }
}
