package io.timesync.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tool a test needs from the machine. Missing, it fails the test in CI ({@code CI=true}), where
 * {@code .ci/run} must have installed it, and skips it elsewhere.
 */
public final class RequiredTool {

    private RequiredTool() {
    }

    /** The tool named by the environment variable {@code env}, else {@code name} on the PATH; skips or fails when absent. */
    public static Path find(String env, String name, String installHint) {
        String configured = System.getenv(env);
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
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
        if ("true".equalsIgnoreCase(System.getProperty("timesync.ci")) || "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + " (CI must install it, see .ci/run)");
        }
        Assumptions.abort(message);
    }
}
