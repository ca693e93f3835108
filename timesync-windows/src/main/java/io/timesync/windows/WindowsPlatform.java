package io.timesync.windows;

import io.timesync.platform.Platform;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Windows: state and logs under {@code %ProgramData%\TimeSync} when running as Administrator or
 * SYSTEM, under {@code %LOCALAPPDATA%\TimeSync} otherwise.
 */
public final class WindowsPlatform implements Platform {

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
        return base(privileged, env, userHome).resolve("log");
    }

    private static Path base(boolean privileged, Map<String, String> env, Path userHome) {
        if (privileged) {
            return Path.of(env.getOrDefault("ProgramData", "C:\\ProgramData"), "TimeSync");
        }
        String local = env.get("LOCALAPPDATA");
        return local != null ? Path.of(local, "TimeSync") : userHome.resolve("AppData").resolve("Local").resolve("TimeSync");
    }
}
