package io.timesync.app.telemetry;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics endpoint in a JVM of its own, as the daemon serves it (the JDK's HTTP server takes its
 * limits once per JVM): clients that send half a request and hang do not block the scrapes.
 */
class AgentMetricsProcessTest {

    private static final int SLOW_CLIENTS = 12;

    @Test
    void slowClientsAreCutOffAndAScrapeStillSucceedsWithinSeconds() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), MetricsMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Socket> slow = new ArrayList<>();
        try {
            String first = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(first).as("the metrics port").startsWith("port ");
            int port = Integer.parseInt(first.substring("port ".length()));
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                Socket s = new Socket();
                slow.add(s);
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                OutputStream out = s.getOutputStream();
                // Half a request: no blank line ever ends its headers.
                out.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            // Let the server take them all (every handler thread busy) before the scrape comes.
            Thread.sleep(300);

            long start = System.nanoTime();
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("timesync_agent_state{state=\"starting\"} 1.0");
            // The slow clients' connections last the request limit and a tick of the server's timer; the
            // bound is generous for a loaded machine.
            assertThat(took).isLessThan(Duration.ofSeconds(AgentMetrics.MAX_REQUEST_SECONDS + 4));
            // And the slow clients were shown the door: their connections are closed, not left to hang.
            for (Socket s : slow) {
                assertThat(closedByServer(s)).isTrue();
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** Whether the server closed the connection (an end of stream, or a reset when it left our bytes unread). */
    private static boolean closedByServer(Socket s) throws java.io.IOException {
        s.setSoTimeout(10_000);
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }
}
