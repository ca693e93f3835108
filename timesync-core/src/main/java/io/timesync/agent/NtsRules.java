package io.timesync.agent;

import io.timesync.time.Measurement;
import io.timesync.time.ServerAddress;
import io.timesync.memo.Memo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a measure cycle treats the selected servers after their NTS probes: a server NTS
 * authenticated is not asked again in plain NTP; one that was selected as NTS and failed is
 * measured in plain NTP with the failure said (a downgrade), unless authentication is required,
 * when it is not measured at all: whoever forged or dropped the NTS replies could forge a plain
 * answer too. Pure: measurements in, what to do out.
 */
final class NtsRules {

    private static final Logger log = LoggerFactory.getLogger(NtsRules.class);

    /**
     * What to do with the selected servers.
     *
     * @param measured   the servers already measured: authenticated, or (authentication required) refused
     *                   with a measurement that did not answer, by key
     * @param downgraded why each server selected as NTS is measured in plain NTP, by key
     * @param plain      the servers to measure in plain NTP, in the selection's order
     */
    record Outcome(Map<String, Measurement> measured, Map<String, String> downgraded, List<ServerAddress> plain) {
        Outcome {
            measured = Map.copyOf(measured);
            downgraded = Map.copyOf(downgraded);
            plain = List.copyOf(plain);
        }
    }

    private NtsRules() {
    }

    /**
     * @param selected      the selected servers' keys, in order
     * @param memo          the memo, which tells which servers the last run authenticated
     * @param nts           this cycle's NTS measurements (empty when there are no NTS probes)
     * @param required      whether only NTS-authenticated answers count
     */
    static Outcome apply(List<String> selected, Memo memo, List<Measurement> nts, boolean required) {
        Map<String, Measurement> authenticated = new HashMap<>();
        Map<String, String> ntsFailed = new HashMap<>();
        List<String> keFailures = new ArrayList<>();
        for (Measurement m : nts) {
            if (m.authenticated() && selected.contains(m.key())) {
                authenticated.put(m.key(), m);
            } else if (selected.contains(m.key())) {
                ntsFailed.put(m.key(), m.error());
            } else if (!m.authenticated()) {
                // Key establishment failed: no NTP address is known, so the failure names its NTS-KE server.
                keFailures.add(m.server() + ": " + m.error());
            }
        }
        Map<String, Measurement> measured = new HashMap<>(authenticated);
        Map<String, String> downgraded = new HashMap<>();
        List<ServerAddress> plain = new ArrayList<>();
        for (String key : selected) {
            if (authenticated.containsKey(key)) {
                continue;
            }
            // Selected as NTS: the last run authenticated it, or this run's NTS probe reached it.
            boolean selectedAsNts = ntsFailed.containsKey(key) || memo.server(key).lastAuthenticated();
            String why = ntsFailed.containsKey(key) ? ntsFailed.get(key)
                    : keFailures.isEmpty() ? "no NTS server authenticated it" : String.join("; ", keFailures);
            if (required) {
                String reason = "no NTS-authenticated answer, which is required (" + why + "); not measured in plain NTP";
                log.warn("{}: {}", key, reason);
                ServerAddress server = ServerAddress.parse(key, ServerAddress.NTP_PORT);
                measured.put(key, new Measurement(server, server.host(), server.port(), 0, 0, List.of(), List.of(), null, reason));
                continue;
            }
            if (selectedAsNts) {
                String reason = "NTS failed (" + why + "); measured in plain NTP, not authenticated";
                log.warn("{}: {}", key, reason);
                downgraded.put(key, reason);
            }
            plain.add(ServerAddress.parse(key, ServerAddress.NTP_PORT));
        }
        return new Outcome(measured, downgraded, plain);
    }
}
