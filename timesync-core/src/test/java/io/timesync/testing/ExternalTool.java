package io.timesync.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * The project's rule for tests that need a tool from outside (chronyd, groff, apt-get...): skipped
 * with a message saying how to get it, except in CI ({@code CI=true}), where its absence fails the test.
 */
public final class ExternalTool {

    private ExternalTool() {
    }

    /** Reports a missing tool: throws in CI, aborts (skips) the test elsewhere. */
    public static void missing(String message) {
        if ("true".equalsIgnoreCase(System.getProperty("timesync.ci")) || "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + " (CI must install it, see .ci/run)");
        }
        Assumptions.abort(message);
    }
}
