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
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("{\"a\": {\"b\": [1, 2}}"))
                .withMessage("line 1, column 18: expected ',' or ']' (at a.b[1])");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("{\"a\": [{\"b\": 1 \"c\": 2}]}"))
                .withMessage("line 1, column 16: expected ',' or '}' (at a[0].b)");
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
    void numbersWithAFractionOrAnExponentReadAsDoublesAndWholeOnesAsLongs() {
        assertThat(SmallJson.parse("[0, -7, 1.5, -0.25, 1.0E-4, 2e3, 1E+2]"))
                .isEqualTo(List.of(0L, -7L, 1.5, -0.25, 1.0E-4, 2000.0, 100.0));
        assertThat(SmallJson.write(List.of(0.875, 1.0E-4, 1.0, -3.5e20))).isEqualTo("[0.875,1.0E-4,1.0,-3.5E20]");
    }

    @Test
    void aMalformedNumberSaysWhereAndWhat() {
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("{\n  \"a\": 01}"))
                .withMessage("line 2, column 9: a number with a leading zero (at a)");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("[1.]"))
                .withMessage("line 1, column 4: a number without digits after its '.' (at [0])");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("[1e]"))
                .withMessage("line 1, column 4: a number without digits in its exponent (at [0])");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("[-]"))
                .withMessage("line 1, column 3: a number without digits (at [0])");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("[.5]"))
                .withMessage("line 1, column 2: unexpected character '.' (at [0])");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.parse("1e999"))
                .withMessage("line 1, column 1: a number out of range");
        assertThatIllegalArgumentException().isThrownBy(() -> SmallJson.write(Double.NaN))
                .withMessage("cannot write NaN as a JSON number");
    }

    @Test
    void writesStringsEscapedAsJacksonDoes() {
        assertThat(SmallJson.write("a\b\f\u0001\u001f/é\u2028")).isEqualTo("\"a\\b\\f\\u0001\\u001F/é\u2028\"");
    }

    @Test
    void writesIndentedAsJacksonsDefaultPrettyPrinter() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("n", 1L);
        inner.put("list", List.of());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("version", 1L);
        document.put("none", null);
        document.put("empty", Map.of());
        document.put("names", List.of("a", "b"));
        document.put("objects", List.of(inner, inner));
        document.put("score", 0.5);
        String json = SmallJson.writeIndented(document);
        assertThat(json).isEqualTo("""
                {
                  "version" : 1,
                  "none" : null,
                  "empty" : { },
                  "names" : [ "a", "b" ],
                  "objects" : [ {
                    "n" : 1,
                    "list" : [ ]
                  }, {
                    "n" : 1,
                    "list" : [ ]
                  } ],
                  "score" : 0.5
                }""");
        assertThat(SmallJson.parse(json)).isEqualTo(document);
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
