package io.timesync.unix.chrony;

import io.timesync.correct.Backups;
import io.timesync.unix.host.FileTransaction;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Where {@link ChronyCorrector} keeps the selected servers' lines, and how chronyd is made to use
 * them: a sources file of TimeSync's own ({@link OwnSourcesFile}), or a managed block in chrony.conf
 * ({@link ChronyConfBlock}).
 */
interface ChronySources {

    /** The file changed. */
    Path file();

    /** The file's new content for the server {@code lines}, given its current content (null: there is none). */
    String content(String lines, String current) throws IOException;

    /** TimeSync's server lines in a version of the file (null: there is none), or "". */
    String serverLines(String content);

    /**
     * The commands that make chronyd use the server lines {@code after} when it used {@code before}.
     *
     * @param deleted the addresses to delete first whatever happens (chronyd has them on another port);
     *                the set may be added to
     */
    List<List<String>> commands(Chronyc chronyc, Set<String> deleted, List<String> before, List<String> after);

    /** The transaction that changes the file, journaling its old versions in {@code backups}. */
    FileTransaction transaction(Backups backups);
}
