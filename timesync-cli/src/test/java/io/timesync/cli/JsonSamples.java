package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.timesync.ntp.Leap;
import io.timesync.time.Sample;

import java.util.ArrayList;
import java.util.List;

/** The samples of a server row of {@code probe --json}, as the bounds of {@link io.timesync.testing.OffsetBound} take them. */
final class JsonSamples {

    private JsonSamples() {
    }

    /** The row's samples with the server's precision, root delay and root dispersion. */
    static List<Sample> of(JsonNode server) {
        List<Sample> samples = new ArrayList<>();
        for (JsonNode s : server.get("samples")) {
            samples.add(new Sample(s.get("t1Ns").asLong(), 0, 0, s.get("t4Ns").asLong(), s.get("offsetNs").asLong(),
                    s.get("delayNs").asLong(), s.get("stratum").asInt(), Leap.NONE, server.get("precision").asInt(), 0,
                    server.get("rootDelayNs").asLong(), server.get("rootDispersionNs").asLong(), 0));
        }
        return samples;
    }
}
