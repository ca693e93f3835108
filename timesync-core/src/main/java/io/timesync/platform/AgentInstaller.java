package io.timesync.platform;

import io.timesync.correct.Plan;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Installs TimeSync's periodic run or its daemon with the platform's scheduler, as a plan first. */
public interface AgentInstaller {

    /**
     * The command that starts TimeSync from the scheduler.
     *
     * @param exec the launcher the user named, or null
     * @param jar  the jar this TimeSync runs from, or null
     * @param env  the environment of this run
     * @throws IllegalArgumentException when it cannot tell (no launcher named, no jar)
     */
    List<String> launcher(Path exec, Path jar, Map<String, String> env);

    /** Runs {@code command} every {@code interval}. */
    Plan install(List<String> command, Duration interval) throws IOException, InterruptedException;

    /** Keeps {@code command} running. */
    Plan installDaemon(List<String> command) throws IOException, InterruptedException;

    /** Removes what {@link #install} or {@link #installDaemon} put in place. */
    Plan uninstall() throws IOException, InterruptedException;

    /** Carries out {@code plan}, leaving nothing behind when a step fails. */
    void apply(Plan plan) throws IOException, InterruptedException;
}
