package io.timesync.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tool (or a facility of the machine) a test needs. Missing, it fails the test in CI
 * ({@code CI=true}), where {@code .ci/run} must have provided it, and skips it elsewhere. Every
 * test gate on what the machine has goes through here, so that CI never skips a test silently.
 */
public final class RequiredTool {

    // Daemons such as chronyd live in sbin, which is not on every user's PATH.
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private RequiredTool() {
    }

    /**
     * The tool named by the environment variable {@code env}, else {@code name} on the PATH or in an
     * sbin directory; fails in CI or skips when absent.
     */
    public static Path find(String env, String name, String installHint) {
        String configured = System.getenv(env);
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        missing(name + " is not installed (nor named by " + env + "): " + installHint);
        throw new AssertionError("unreachable");
    }

    /** Fails in CI, skips elsewhere, with {@code message}. */
    public static void missing(String message) {
        if (inCi()) {
            throw new IllegalStateException(message + " (CI must provide it, see .ci/run)");
        }
        Assumptions.abort(message);
    }

    /** Whether this is a CI run: {@code CI=true} in the environment (or the build's {@code timesync.ci} property). */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getProperty("timesync.ci")) || "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
