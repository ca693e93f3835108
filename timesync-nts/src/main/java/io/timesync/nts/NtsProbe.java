package io.timesync.nts;

import io.timesync.time.Measurement;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.probe.Probe;
import io.timesync.probe.UdpProbe;
import io.timesync.probe.WarmUp;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Measures one NTS server: reuses or establishes the session, then takes NTS-authenticated samples
 * with a {@link UdpProbe}. When the server rejects the session (NAK) or the cookies run out before
 * any sample, keys are established once more and the samples taken again. A session that breaks the
 * exchange (a corrupt cookie, say, from a session file) fails this server only and is dropped, so the
 * next probe establishes keys again.
 */
final class NtsProbe implements Probe {

    private final NtsClient client;
    private final ServerAddress keServer;
    private final ProbeOptions options;
    private final TimeSource time;
    private final RandomGenerator random;

    NtsProbe(NtsClient client, ServerAddress keServer, ProbeOptions options, TimeSource time, RandomGenerator random) {
        this.client = client;
        this.keServer = keServer;
        this.options = options;
        this.time = time;
        this.random = random;
    }

    @Override
    public String source() {
        return keServer + " (NTS)";
    }

    @Override
    public Measurement measure() throws InterruptedException {
        WarmUp.once();
        Measurement measurement = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            NtsSession session;
            try {
                session = client.session(keServer);
            } catch (NtsKeException e) {
                // The reason's name in brackets is stable, for scripts; the message is for people.
                return failed("NTS key establishment failed " + e.reason().tag() + ": " + e.getMessage(), measurement);
            } catch (UnknownHostException e) {
                return failed("DNS lookup failed: unknown host '" + e.getMessage() + "'", measurement);
            }
            try {
                measurement = new UdpProbe(keServer, session.target(), options, time, random,
                        new NtsExchange(session, random)).measure();
            } catch (RuntimeException e) {
                client.forget(session);
                return failed("the NTS session with " + keServer + " is unusable (" + e
                        + "); it is dropped and keys are established again next time", measurement);
            }
            boolean spent = session.rejected() || session.cookieCount() == 0;
            if (spent) {
                client.forget(session);
            } else {
                client.save();
            }
            if (measurement.answered() || !spent) {
                return measurement;
            }
        }
        return measurement;
    }

    @Override
    public Duration setup() {
        return client.keyEstablishmentDeadline();
    }

    @Override
    public Measurement failed(String error) {
        return failed(error, null);
    }

    private Measurement failed(String error, Measurement earlier) {
        if (earlier != null) {
            return earlier;
        }
        return new Measurement(keServer, null, keServer.port(), 0, 0, List.of(), List.of(), null, error);
    }
}
