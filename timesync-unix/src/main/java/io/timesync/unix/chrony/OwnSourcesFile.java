package io.timesync.unix.chrony;

import io.timesync.correct.Backups;
import io.timesync.unix.host.FileTransaction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A sources file that TimeSync owns entirely in chronyd's sourcedir (chrony 4, e.g. {@code
 * /etc/chrony/sources.d/timesync.sources}): it is replaced whole, and {@code reload sources} makes
 * chronyd read it.
 */
final class OwnSourcesFile implements ChronySources {

    static final String HEADER = "# Managed by TimeSync: replaced on every sync; your own sources belong in another file.\n";

    private final Path file;

    OwnSourcesFile(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String content(String lines, String current) {
        return HEADER + lines;
    }

    @Override
    public String serverLines(String content) {
        return content == null ? "" : content;
    }

    @Override
    public List<List<String>> commands(Chronyc chronyc, Set<String> deleted, List<String> before, List<String> after) {
        List<List<String>> commands = new ArrayList<>();
        deleted.forEach(host -> commands.add(chronyc.delete(host)));
        commands.add(chronyc.reloadSources());
        return commands;
    }

    @Override
    public FileTransaction transaction(Backups backups) {
        return FileTransaction.ofFile("chrony", file, backups);
    }
}
