package io.timesync.bench.lab;

import org.apache.commons.net.ntp.NTPUDPClient;
import org.apache.commons.net.ntp.NtpV3Packet;
import org.apache.commons.net.ntp.TimeInfo;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

/**
 * The lab's third client: commons-net's {@link NTPUDPClient}, as an application would use it. Sends
 * {@code SAMPLES} requests {@code SPACING-MS} apart and keeps the reply with the smallest round-trip
 * delay (the choice RFC 5905's clock filter makes), so it sees the same samples as the other clients.
 *
 * <p>commons-net timestamps with {@code System.currentTimeMillis} and computes offset and delay in
 * whole milliseconds; the figures are its own. The bound is the one RFC 5905 gives one exchange with
 * an honest server: half the delay plus the server's root delay/2 and root dispersion.
 *
 * <p>Arguments: {@code HOST PORT [SAMPLES [SPACING-MS [TIMEOUT-MS]]]} (defaults 4, 2000, 1000).
 * Prints {@code offsetNs boundNs delayNs replies}; exits 0, 64 on bad arguments, 69 when no reply came.
 */
public final class CommonsNetProbe {

    private CommonsNetProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2 || args.length > 5) {
            System.err.println("usage: CommonsNetProbe HOST PORT [SAMPLES [SPACING-MS [TIMEOUT-MS]]]");
            System.exit(64);
        }
        InetAddress host;
        int port;
        int samples;
        long spacingMs;
        int timeoutMs;
        try {
            host = InetAddress.getByName(args[0]);
            port = Integer.parseInt(args[1]);
            samples = args.length > 2 ? Integer.parseInt(args[2]) : 4;
            spacingMs = args.length > 3 ? Long.parseLong(args[3]) : 2000;
            timeoutMs = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        } catch (IOException | NumberFormatException e) {
            System.err.println("CommonsNetProbe: " + e.getMessage());
            System.exit(64);
            return;
        }
        TimeInfo best = null;
        int replies = 0;
        NTPUDPClient client = new NTPUDPClient();
        client.setDefaultTimeout(Duration.ofMillis(timeoutMs));
        try {
            for (int i = 0; i < samples; i++) {
                if (i > 0) {
                    Thread.sleep(spacingMs);
                }
                try {
                    TimeInfo info = client.getTime(host, port);
                    info.computeDetails();
                    if (info.getDelay() == null || info.getOffset() == null) {
                        continue;
                    }
                    replies++;
                    if (best == null || info.getDelay() < best.getDelay()) {
                        best = info;
                    }
                } catch (IOException e) {
                    // A lost request or reply: the next sample may get through.
                }
            }
        } finally {
            client.close();
        }
        if (best == null) {
            System.err.println("CommonsNetProbe: no reply from " + args[0] + ":" + port);
            System.exit(69);
            return;
        }
        NtpV3Packet packet = best.getMessage();
        long ms = 1_000_000L;
        long bound = best.getDelay() * ms / 2 + shortFormatNs(packet.getRootDelay()) / 2
                + shortFormatNs(packet.getRootDispersion());
        System.out.println(best.getOffset() * ms + " " + bound + " " + best.getDelay() * ms + " " + replies);
    }

    /** An NTP short-format (16.16 seconds) field in nanoseconds. */
    private static long shortFormatNs(int value) {
        return ((value & 0xFFFF_FFFFL) * 1_000_000_000L) >>> 16;
    }
}
