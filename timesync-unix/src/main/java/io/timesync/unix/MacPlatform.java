package io.timesync.unix;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * macOS: state in {@code /Library/Application Support/TimeSync} and logs in
 * {@code /Library/Logs/TimeSync} when privileged, the same under the user's home otherwise.
 */
public final class MacPlatform extends UnixPlatform {

    @Override
    public String name() {
        return "macos";
    }

    @Override
    public boolean supports(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("mac");
    }

    @Override
    public Path stateDirectory(boolean privileged, Map<String, String> env, Path userHome) {
        return base(privileged, userHome).resolve("Application Support/TimeSync");
    }

    @Override
    public Path logDirectory(boolean privileged, Map<String, String> env, Path userHome) {
        return base(privileged, userHome).resolve("Logs/TimeSync");
    }

    private static Path base(boolean privileged, Path userHome) {
        return privileged ? Path.of("/Library") : userHome.resolve("Library");
    }
}
