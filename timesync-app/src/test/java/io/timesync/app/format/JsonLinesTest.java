package io.timesync.app.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.text.SmallJson;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLinesTest {

    @Test
    void aLineIsWhatJacksonWritesForTheSameDocumentAndReadsBack() throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("time", "2026-12-05T00:00:00Z");
        doc.put("event", "cycle");
        doc.put("server", "ntp \"one\" \\ é \u2028 \b\f\r\n\t\u0000\u001f");
        doc.put("offsetNs", -1234567890123L);
        doc.put("stratum", 2);
        doc.put("actionNs", null);
        doc.put("memoNotWritten", false);
        doc.put("peers", List.of("127.0.0.1(selected)", "[::1]:123(candidate)"));
        doc.put("nested", Map.of("empty", List.of()));
        String line = JsonLines.line(doc);
        assertThat(line).isEqualTo(new ObjectMapper().writeValueAsString(doc)).doesNotContain("\n");
        Map<String, Object> back = SmallJson.parseObject(line);
        assertThat(back.get("server")).isEqualTo(doc.get("server"));
        assertThat(back.get("stratum")).isEqualTo(2L);
    }
}
