package io.timesync.cli;

import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zsh completion for real: an interactive zsh in a pseudo-terminal completes command lines typed
 * with the Tab key ({@code src/test/resources/completion/complete-in-zsh.zsh}), with the completion
 * files as the zip lays them out (picocli's script and {@code _timesync} in {@code completion/}).
 */
class ZshCompletionTest {

    private static final Path DRIVER = Path.of("src/test/resources/completion/complete-in-zsh.zsh");

    @TempDir
    static Path dir;

    private static Path zsh;
    private static Path completion;

    @BeforeAll
    static void files() throws Exception {
        zsh = RequiredTool.find("TIMESYNC_ZSH", "zsh", "apt-get install zsh");
        DistributionFiles.writeCompletion(dir.resolve("dist"));
        completion = dir.resolve("dist/completion");
        Files.copy(Path.of("src/deb/zsh/_timesync"), completion.resolve("_timesync"));
        Files.writeString(dir.resolve("settings.json"), "{}\n");
    }

    /** The lines as completion left them, after {@code setup} ran in the shell; no error was printed meanwhile. */
    private static List<String> complete(String setup, String... lines) throws Exception {
        Path log = dir.resolve("terminal.log");
        List<String> command = new ArrayList<>(List.of(zsh.toString(), "-f", DRIVER.toString(), setup, log.toString()));
        command.addAll(List.of(lines));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("zsh did not finish completing within 60 s: " + out);
        }
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(Files.readString(log)).as("what the terminal showed").doesNotContain("not found")
                .doesNotContain("command not found");
        return out.lines().filter(l -> l.startsWith("RESULT: ")).map(l -> l.substring("RESULT: ".length()).strip()).toList();
    }

    private static final String[] LINES = {"timesync doc<TAB>", "timesync doctor --js<TAB>", "timesync setup --serv<TAB>",
        "timesync service ins<TAB>", "timesync doc<TAB>--state-d<TAB>", "timesync sync --mo<TAB>",
        "timesync sync --strategy fi<TAB>", "timesync optimize --strategy b<TAB>", "timesync daemon --mode ul<TAB>",
        "timesync setup --service timesy<TAB>", "timesync sync --platform mac<TAB>"};

    private static final String[] COMPLETED = {"timesync doctor", "timesync doctor --json", "timesync setup --service",
        "timesync service install", "timesync doctor --state-dir", "timesync sync --mode",
        "timesync sync --strategy first-reachable", "timesync optimize --strategy best", "timesync daemon --mode ultrafast",
        "timesync setup --service timesyncd", "timesync sync --platform macos"};

    @Test
    void commandsAndOptionsCompleteFromTheCompletionDirectoryOnFpath() throws Exception {
        List<String> done = complete("fpath=(" + completion + " $fpath); autoload -U compinit; compinit -u -D",
                LINES);
        assertThat(done).containsExactly(COMPLETED);
    }

    @Test
    void fileArgumentsCompleteToFileNames() throws Exception {
        List<String> done = complete("fpath=(" + completion + " $fpath); autoload -U compinit; compinit -u -D",
                "timesync doctor --config " + dir.resolve("sett") + "<TAB>");
        assertThat(done).containsExactly("timesync doctor --config " + dir.resolve("settings.json"));
    }

    /** What the README says to do by hand with the unpacked zip: source picocli's script after compinit. */
    @Test
    void sourcingTheBashScriptInZshrcCompletesTheSame() throws Exception {
        List<String> done = complete("autoload -U compinit; compinit -u -D; source " + completion.resolve("timesync"),
                LINES);
        assertThat(done).containsExactly(COMPLETED);
    }
}
