package io.timesync.text;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SmallJsonTest {

    @Test
    void whatItWritesReadsBackTheSame() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
        document.put("number", Long.MIN_VALUE);
        document.put("list", List.of("a", 1L, true, false));
        document.put("nothing", null);
        document.put("nested", Map.of("k", List.of()));
        String json = SmallJson.write(document);
        assertThat(SmallJson.parse(json)).isEqualTo(document);
        assertThat(json).doesNotContain("\n", "\u0007");
    }

    @Test
    void readsWhatJsonWritersWrite() {
        assertThat(SmallJson.parseObject("""
                {
                  "time" : "2026-12-05T00:00:00Z",\t"escaped": "\\u00e9\\/",
                  "n": -12, "empty": {}, "none": []
                }
                """)).containsEntry("time", "2026-12-05T00:00:00Z").containsEntry("escaped", "é/")
                .containsEntry("n", -12L).containsEntry("empty", Map.of()).containsEntry("none", List.of());
    }

    @Test
    void aBrokenDocumentSaysWhereAndWhat() {
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("{\n  \"a\": 1,\n  \"b\" 2}"))
                .withMessage("line 3, column 7: expected ':'");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("{\"a\": \"open"))
                .withMessageContaining("a string that does not end");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("{\"a\": 1.5}"))
                .withMessageContaining("a fraction");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("{\"a\": 1, \"a\": 2}"))
                .withMessageContaining("duplicate key 'a'");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("{} {}"))
                .withMessageContaining("more after the end");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("99999999999999999999"))
                .withMessageContaining("not a whole number in range");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parseObject("[]"))
                .withMessage("expected an object");
    }

    @Test
    void aDeeplyNestedDocumentIsRefusedNotAStackOverflow() {
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("[".repeat(100_000)))
                .withMessageContaining("nested deeper than");
    }

    @Test
    void everyTruncationOfADocumentIsRefused() {
        String json = SmallJson.write(Map.of("sessions", List.of(Map.of("keServer", "a:4460", "port", 123L))));
        for (int length = 0; length < json.length(); length++) {
            String prefix = json.substring(0, length);
            assertThatIllegalArgumentException().as(prefix).isThrownBy(() -> SmallJson.parse(prefix));
        }
    }
}
