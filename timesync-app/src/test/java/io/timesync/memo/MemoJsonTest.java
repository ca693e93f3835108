package io.timesync.memo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** memo.json without a JSON library: the files Jackson wrote read, and what is written is what Jackson wrote. */
class MemoJsonTest {

    @TempDir
    Path dir;

    private static String jacksonWritten() throws Exception {
        try (InputStream in = MemoJsonTest.class.getResourceAsStream("memo-written-by-jackson.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aMemoJacksonWroteLoadsWithEveryFieldAndWritesBackTheSameBytes() throws Exception {
        String written = jacksonWritten();
        Files.writeString(dir.resolve("memo.json"), written);
        Memo memo = new JsonMemoStore(dir).load();
        assertThat(memo.version()).isEqualTo(1);
        assertThat(memo.lastSkewNanos()).isEqualTo(-5000L);
        assertThat(memo.lastCorrectionNanos()).isNull();
        assertThat(memo.selection()).isEqualTo(new Selection(List.of("127.0.0.1:123", "time.example"), "[::1]:11123", 2));
        ServerRecord first = memo.server("127.0.0.1:123");
        assertThat(first.strikes()).isEqualTo(1);
        assertThat(first.history()).containsExactly(
                new ServerRecord.HistoryEntry(1764892800000000000L, -1234567L, 250000L, 12000L, 2, 0.875, "ok", false),
                new ServerRecord.HistoryEntry(1764892860000000000L, null, null, null, null, null, "timeout", false),
                new ServerRecord.HistoryEntry(1764892920000000000L, 42L, 1L, 0L, 1, 1.0E-4, "ok \"quoted\" \\ é\ttab", true));
        ServerRecord second = memo.server("[::1]:11123");
        assertThat(second.blacklistedUntilUnixNanos()).isEqualTo(1764896400000000000L);
        assertThat(second.blacklistReason()).isEqualTo("answered 3600.5 s wrong\nsecond line");
        assertThat(memo.lastDecision()).isEqualTo(DecisionRecord.of(DecisionRecord.Action.SLEW, -5000L, 1764892900000000000L,
                "offset -5 µs within the slew limit"));
        assertThat(MemoJson.write(memo)).isEqualTo(written);
    }

    @Test
    void writesWhatJacksonWritesForTheSameMemo() throws Exception {
        ObjectMapper jackson = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ServerRecord r = new ServerRecord(5, 9, 0, 0, null, "kiss \u0001 DENY", List.of(
                new ServerRecord.HistoryEntry(1L, 2L, 3L, 4L, 16, 3.0, "v", true),
                new ServerRecord.HistoryEntry(1L, null, null, null, null, Double.NaN, null, false)));
        for (Memo memo : List.of(Memo.EMPTY, new Memo(1, 1L, 2L, 3L, 4L, new Selection(List.of("a"), null, 0),
                Map.of("a", r), null))) {
            assertThat(MemoJson.write(memo)).isEqualTo(jackson.writeValueAsString(memo));
        }
    }

    @Test
    void aValueOfTheWrongKindNamesItsKey() {
        assertThatIllegalArgumentException().isThrownBy(() -> MemoJson.read(
                "{\"version\": 1, \"selection\": {\"servers\": \"a\"}, \"servers\": {}}"))
                .withMessage("expected a list (at selection.servers)");
        assertThatIllegalArgumentException().isThrownBy(() -> MemoJson.read(
                "{\"selection\": {\"servers\": []}, \"servers\": {\"a\": {\"runs\": 1.5, \"history\": []}}}"))
                .withMessage("expected a whole number (at servers.a.runs)");
        assertThatIllegalArgumentException().isThrownBy(() -> MemoJson.read(
                "{\"selection\": {\"servers\": []}, \"servers\": {\"a\": {\"history\": [{\"score\": true}]}}}"))
                .withMessage("expected a number (at servers.a.history[0].score)");
        assertThatIllegalArgumentException().isThrownBy(() -> MemoJson.read(
                "{\"selection\": {\"servers\": [], \"challengerStreak\": -1}, \"servers\": {}}"))
                .withMessage("a value that cannot be used here (at selection): challengerStreak must not be negative");
        assertThatIllegalArgumentException().isThrownBy(() -> MemoJson.read("{\"servers\": {}}"))
                .withMessage("no selection: not a memo");
    }

    @Test
    void unknownKeysAreSkippedAndAbsentOnesReadAsNothing() {
        Memo memo = MemoJson.read("{\"version\": 1, \"future\": [1, {\"x\": 2.5}], \"selection\": {\"servers\": []},"
                + " \"servers\": {\"a\": {\"history\": [{\"atUnixNanos\": 7}]}}}");
        assertThat(memo.server("a").history()).containsExactly(
                new ServerRecord.HistoryEntry(7L, null, null, null, null, null, null, false));
        assertThat(memo.lastDecision()).isNull();
    }

    @Test
    void aSyntaxErrorSaysLineColumnAndWhere() {
        assertThatIllegalArgumentException().isThrownBy(() -> MemoJson.read("{\n  \"version\": 1,\n  \"selection\": {\"servers\": [\"a\" \"b\"]}}"))
                .withMessage("line 3, column 33: expected ',' or ']' (at selection.servers[0])");
    }
}
