package io.timesync.unix.chrony;

import io.timesync.correct.Backups;
import io.timesync.unix.host.FileTransaction;
import io.timesync.unix.host.ManagedBlock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link ManagedBlock} in chrony.conf, for a chronyd without a persistent sourcedir (chrony before
 * 4). chronyd reads chrony.conf only when it starts, so a changed block is applied at run time:
 * {@code chronyc delete} for each server that left the block and {@code chronyc add server} for each
 * that joined it, with the same words as its line. A restart would do the same but throw away
 * chronyd's measurements of every source and may step the clock.
 */
final class ChronyConfBlock implements ChronySources {

    private final Path chronyConf;

    ChronyConfBlock(Path chronyConf) {
        this.chronyConf = Objects.requireNonNull(chronyConf, "chronyConf");
    }

    @Override
    public Path file() {
        return chronyConf;
    }

    @Override
    public String content(String lines, String current) throws IOException {
        if (current == null) {
            throw new IOException(chronyConf + " does not exist: is chrony installed?");
        }
        String name = name();
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

    @Override
    public String serverLines(String content) {
        return content == null ? "" : ManagedBlock.lines(content, name()).orElse("");
    }

    /** The deletes of the servers that left the block, then the adds of those that joined it (a changed line is both). */
    @Override
    public List<List<String>> commands(Chronyc chronyc, Set<String> deleted, List<String> before, List<String> after) {
        for (String line : before) {
            if (!after.contains(line)) {
                deleted.add(ChronyCorrector.host(line));
            }
        }
        List<List<String>> commands = new ArrayList<>();
        deleted.forEach(host -> commands.add(chronyc.delete(host)));
        for (String line : after) {
            if (!before.contains(line) || deleted.contains(ChronyCorrector.host(line))) {
                commands.add(chronyc.add(List.of(line.split(" "))));
            }
        }
        return commands;
    }

    @Override
    public FileTransaction transaction(Backups backups) {
        return FileTransaction.ofManagedBlock("chrony", chronyConf, backups);
    }

    private String name() {
        return chronyConf.getFileName().toString();
    }
}
