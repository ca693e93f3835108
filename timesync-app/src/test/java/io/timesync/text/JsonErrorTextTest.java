package io.timesync.text;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Jackson's failures on real broken files, told as a person needs them: where, which key, what. */
class JsonErrorTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // Generic types only: the tests run on the module path, where Jackson cannot see this package's classes.
    private static final TypeReference<Map<String, Map<String, Integer>>> NUMBERS = new TypeReference<>() { };
    private static final TypeReference<Map<String, List<Boolean>>> FLAGS = new TypeReference<>() { };
    private static final TypeReference<Object> ANY = new TypeReference<>() { };

    private static String error(String json, TypeReference<?> type) {
        Throwable e = catchThrowable(() -> JSON.readValue(json, type));
        assertThat(e).isInstanceOf(IOException.class);
        String text = JsonErrorText.of(e);
        assertThat(text).as("no parser internals").doesNotContain("Source").doesNotContain("REDACTED")
                .doesNotContain("StreamReadFeature").doesNotContain("`").doesNotContain("io.timesync").doesNotContain("java.");
        return text;
    }

    @Test
    void syntaxErrorsSayWhereAndWhat() {
        assertThat(error("{\"server\": {\"host\": [1, 2}}", ANY))
                .isEqualTo("line 1, column 26: Unexpected close marker '}': expected ']'");
        assertThat(error("{\n  \"server\": {\n    \"port\": 2s\n  }\n}", ANY))
                .isEqualTo("line 3, column 14: Unexpected character ('s' (code 115)): was expecting comma to separate Object entries");
        assertThat(error("{\"server\": {\"host\": \"a\"", ANY))
                .isEqualTo("line 1, column 24: Unexpected end-of-input: expected close marker for Object");
    }

    @Test
    void valuesOfTheWrongKindNameTheKeyAndWhatWasExpected() {
        assertThat(error("{\"server\": {\"port\": \"x\"}}", NUMBERS))
                .isEqualTo("line 1, column 21: 'x' is not a whole number (at server.port)");
        assertThat(error("{\"server\": 5}", NUMBERS)).isEqualTo("line 1, column 12: expected an object (at server)");
        assertThat(error("{\"nts\": {}}", FLAGS)).isEqualTo("line 1, column 9: expected a list (at nts)");
        assertThat(error("{\"nts\": [true, \"maybe\"]}", FLAGS))
                .isEqualTo("line 1, column 16: 'maybe' is not true or false (at nts[1])");
    }

    @Test
    void otherFailuresKeepTheirFirstLine() {
        assertThat(JsonErrorText.of(new IOException("Permission denied\nmore"))).isEqualTo("Permission denied");
        assertThat(JsonErrorText.of(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
