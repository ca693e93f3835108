package io.timesync.app.telemetry;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Serves the daemon's metrics in a JVM of its own, as the daemon does, for {@link AgentMetricsProcessTest}:
 * prints {@code port N}, then serves until its standard input closes.
 */
public final class MetricsMain {

    private MetricsMain() {
    }

    public static void main(String[] args) throws IOException {
        try (AgentMetrics metrics = AgentMetrics.serve(InetAddress.getByName("127.0.0.1"), 0)) {
            System.out.println("port " + metrics.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our input
            }
        }
    }
}
