package io.timesync.unix;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Linux and the other Unix systems except macOS: state in {@code /var/lib/timesync}, logs in
 * {@code /var/log/timesync} when privileged; otherwise the user's XDG state directory
 * ({@code $XDG_STATE_HOME}, by default {@code ~/.local/state}), so TimeSync works without root.
 */
public final class LinuxPlatform extends UnixPlatform {

    @Override
    public String name() {
        return "linux";
    }

    @Override
    public boolean supports(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        return !os.startsWith("windows") && !os.startsWith("mac");
    }

    @Override
    public Path stateDirectory(boolean privileged, Map<String, String> env, Path userHome) {
        return privileged ? Path.of("/var/lib/timesync") : xdgState(env, userHome);
    }

    @Override
    public Path logDirectory(boolean privileged, Map<String, String> env, Path userHome) {
        return privileged ? Path.of("/var/log/timesync") : xdgState(env, userHome).resolve("log");
    }

    private static Path xdgState(Map<String, String> env, Path userHome) {
        String xdg = env.get("XDG_STATE_HOME");
        // The XDG spec says a relative value is invalid and must be ignored.
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : userHome.resolve(".local/state");
        return base.resolve("timesync");
    }
}
