package io.timesync.windows;

import io.timesync.correct.CommandRunner;
import io.timesync.platform.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Windows: state (the memo JSON, backups) and logs ({@code status.log}) together in
 * {@code %ProgramData%\TimeSync\} when running elevated as Administrator or as SYSTEM, in
 * {@code %LOCALAPPDATA%\TimeSync\} otherwise.
 */
public final class WindowsPlatform implements Platform {

    /** {@code whoami /groups}: the groups of this process's token, its integrity level among them. */
    public static final List<String> WHOAMI_GROUPS = List.of("whoami", "/groups");
    // The integrity levels of an elevated token (High) and of SYSTEM; the SIDs are not localised.
    private static final List<String> ELEVATED_LABELS = List.of("S-1-16-12288", "S-1-16-16384");
    private static final Duration WHOAMI_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(WindowsPlatform.class);

    @Override
    public String name() {
        return "windows";
    }

    @Override
    public boolean supports(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    @Override
    public boolean privileged(String userName) {
        // "SYSTEM" is the service account; Administrators cannot be told from Java without JNI.
        return "SYSTEM".equalsIgnoreCase(userName);
    }

    /**
     * SYSTEM, or a token whose integrity level is High (an Administrator's elevated prompt), as
     * {@code whoami /groups} shows it; a non-elevated Administrator runs at Medium and is not.
     */
    @Override
    public boolean privileged(String userName, CommandRunner runner) throws InterruptedException {
        if (privileged(userName)) {
            return true;
        }
        try {
            CommandRunner.Result result = runner.run(WHOAMI_GROUPS, WHOAMI_TIMEOUT);
            return result.succeeded() && elevated(result.stdout());
        } catch (IOException e) {
            log.debug("whoami /groups did not run: {}", e.getMessage());
            return false;
        }
    }

    /** Whether the output of {@code whoami /groups} shows an elevated token (integrity level High or System). */
    public static boolean elevated(String whoamiGroups) {
        return ELEVATED_LABELS.stream().anyMatch(whoamiGroups::contains);
    }

    /** Elevation is refused by Windows itself, and TimeSync reports that refusal. */
    @Override
    public boolean knowsPrivilege() {
        return false;
    }

    @Override
    public Path stateDirectory(boolean privileged, Map<String, String> env, Path userHome) {
        return base(privileged, env, userHome);
    }

    @Override
    public Path logDirectory(boolean privileged, Map<String, String> env, Path userHome) {
        // One directory for the memo and status.log, as the scheduled task and the elevated prompt share it.
        return base(privileged, env, userHome);
    }

    private static Path base(boolean privileged, Map<String, String> env, Path userHome) {
        if (privileged) {
            return Path.of(env.getOrDefault("ProgramData", "C:\\ProgramData"), "TimeSync");
        }
        String local = env.get("LOCALAPPDATA");
        return local != null ? Path.of(local, "TimeSync") : userHome.resolve("AppData").resolve("Local").resolve("TimeSync");
    }
}
