package io.timesync.memo;

import io.timesync.testing.Fifo;
import io.timesync.testing.LockHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class JsonMemoStoreTest {

    @TempDir
    Path dir;

    private static Memo sample() {
        ServerRecord.HistoryEntry h = new ServerRecord.HistoryEntry(5L, 12L, 34L, 5L, 2, 88.5, "selected");
        ServerRecord.HistoryEntry nts = new ServerRecord.HistoryEntry(6L, 13L, 35L, 5L, 2, 89.5, "selected", true);
        ServerRecord r = new ServerRecord(0b1011, 4, 1, 2, 99L, "kiss DENY", List.of(h, nts));
        return new Memo(Memo.CURRENT_VERSION, -1234L, 77L, 500L, 78L, new Selection(List.of("10.0.0.1:123"), "10.0.0.2:123", 1),
                Map.of("10.0.0.1:123", r), DecisionRecord.of(DecisionRecord.Action.SLEW, -1234L, 77L, "the service slews it"));
    }

    @Test
    void missingFileIsAnEmptyMemo() throws Exception {
        assertThat(new JsonMemoStore(dir.resolve("none")).load()).isEqualTo(Memo.EMPTY);
    }

    @Test
    void roundTripsEveryField() throws Exception {
        JsonMemoStore store = new JsonMemoStore(dir.resolve("state"));
        store.update(m -> sample());
        assertThat(new JsonMemoStore(dir.resolve("state")).load()).isEqualTo(sample());
        assertThat(Files.readString(store.file())).contains("\"version\" : 1").contains("\"challengerStreak\" : 1")
                .contains("\"action\" : \"slew\"");
    }

    @Test
    void aFileFromBeforeTheLastDecisionWasKeptReadsWithoutOne() throws Exception {
        Files.writeString(dir.resolve("memo.json"), "{\"version\": 1, \"lastSkewNanos\": 5, \"selection\": {\"servers\": []},"
                + " \"servers\": {}}");
        Memo memo = new JsonMemoStore(dir).load();
        assertThat(memo.lastSkewNanos()).isEqualTo(5L);
        assertThat(memo.lastDecision()).isNull();
    }

    @Test
    void leavesNoTemporaryFiles() throws Exception {
        JsonMemoStore store = new JsonMemoStore(dir);
        for (int i = 0; i < 5; i++) {
            store.update(m -> sample());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("memo.json", "memo.lock");
        }
    }

    @Test
    void aCorruptFileIsMovedAsideAndAFreshMemoStarts() throws Exception {
        JsonMemoStore store = new JsonMemoStore(dir);
        Files.writeString(store.file(), "{\"version\": 1, \"selection\": {\"servers\": [");
        assertThat(store.load()).isEqualTo(Memo.EMPTY);
        assertThat(dir.resolve("memo.json.corrupt")).content().startsWith("{\"version\": 1");
        assertThat(store.file()).doesNotExist();
        Files.writeString(store.file(), "not json at all");
        store.update(m -> sample());
        assertThat(dir.resolve("memo.json.corrupt.1")).hasContent("not json at all");
        assertThat(store.load()).isEqualTo(sample());
    }

    @Test
    void unknownFieldsFromAnOlderOrSiblingWriterAreIgnored() throws Exception {
        JsonMemoStore store = new JsonMemoStore(dir);
        Files.writeString(store.file(), "{\"version\":1,\"selection\":{\"servers\":[\"a:1\"],\"challengerStreak\":0},"
                + "\"servers\":{},\"futureField\":42}");
        assertThat(store.load().selection().servers()).containsExactly("a:1");
    }

    @Test
    void historyWrittenBeforeAuthenticationWasRecordedReadsAsUnauthenticated() throws Exception {
        JsonMemoStore store = new JsonMemoStore(dir);
        Files.writeString(store.file(), "{\"version\":1,\"selection\":{\"servers\":[\"a:1\"],\"challengerStreak\":0},"
                + "\"servers\":{\"a:1\":{\"runReach\":1,\"runs\":1,\"history\":[{\"atUnixNanos\":5,\"offsetNanos\":12,"
                + "\"verdict\":\"selected\"}]}}}");
        ServerRecord a = store.load().server("a:1");
        assertThat(a.history()).singleElement().satisfies(h -> assertThat(h.authenticated()).isFalse());
        assertThat(a.lastAuthenticated()).isFalse();
        assertThat(sample().server("10.0.0.1:123").lastAuthenticated()).isTrue();
    }

    @Test
    void aNewerFormatIsRefusedAndKept() throws Exception {
        JsonMemoStore store = new JsonMemoStore(dir);
        String newer = "{\"version\":99,\"selection\":{\"servers\":[],\"challengerStreak\":0},\"servers\":{}}";
        Files.writeString(store.file(), newer);
        assertThatThrownBy(store::load).isInstanceOf(MemoException.class).hasMessageContaining("newer TimeSync");
        assertThatThrownBy(() -> store.update(m -> sample())).isInstanceOf(MemoException.class);
        assertThat(store.file()).hasContent(newer);
    }

    @Test
    void concurrentUpdatesLoseNothing() throws Exception {
        JsonMemoStore store = new JsonMemoStore(dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        // Each update increments the streak; a lost update would show as a smaller count.
                        new JsonMemoStore(dir).update(m -> m.withSelection(new Selection(List.of(), "x",
                                m.selection().challengerStreak() + 1)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.load().selection().challengerStreak()).isEqualTo(100);
    }

    @Test
    void aLockHeldByAnotherProcessTimesOutWithAClearMessage() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        JsonMemoStore store = new JsonMemoStore(state, Duration.ofMillis(300));
        try (LockHolder holder = LockHolder.hold(state.resolve("memo.lock"), dir)) {
            assertThatThrownBy(() -> store.update(m -> sample())).isInstanceOf(MemoException.class)
                    .hasMessageContaining("another TimeSync holds").hasMessageContaining("memo.lock");
            assertThat(store.file()).doesNotExist();
        }
        store.update(m -> sample());
        assertThat(store.load()).isEqualTo(sample());
    }

    @Test
    void tellsWhetherAnotherProcessHoldsTheLockWithoutWaitingOrCreatingIt() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        JsonMemoStore store = new JsonMemoStore(state, Duration.ofMinutes(1));
        assertThat(store.lockedByAnother()).isFalse();
        assertThat(store.lockFile()).doesNotExist();
        try (LockHolder holder = LockHolder.hold(store.lockFile(), dir)) {
            assertThat(store.lockedByAnother()).isTrue();
        }
        assertThat(store.lockedByAnother()).isFalse();
    }

    @Test
    void anUnwritableStateDirectoryIsAClearError() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        JsonMemoStore store = new JsonMemoStore(notADirectory.resolve("state"));
        assertThatThrownBy(() -> store.update(m -> sample())).isInstanceOf(MemoException.class)
                .hasMessageContaining("cannot create the state directory");
    }

    @Test
    void aMemoThatLinksToAnEndlessDeviceIsAClearErrorNotAnOutOfMemoryError() throws Exception {
        Files.createSymbolicLink(dir.resolve("memo.json"), Path.of("/dev/zero"));
        JsonMemoStore store = new JsonMemoStore(dir);

        assertThatThrownBy(store::load).isInstanceOf(MemoException.class).hasMessageContaining("memo.json")
                .hasMessageContaining("symbolic link");
        assertThat(dir.resolve("memo.json")).isSymbolicLink();
    }

    @Test
    void aMemoThatIsAFifoIsAClearErrorAndNeverHangs() throws Exception {
        Fifo.make(dir.resolve("memo.json"));
        JsonMemoStore store = new JsonMemoStore(dir);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThatThrownBy(store::load).isInstanceOf(MemoException.class).hasMessageContaining("FIFO");
            assertThatThrownBy(() -> store.update(m -> sample())).isInstanceOf(MemoException.class).hasMessageContaining("FIFO");
        });
    }

    @Test
    void aMemoLargerThanAnyTimeSyncWritesIsRefused() throws Exception {
        try (RandomAccessFile huge = new RandomAccessFile(dir.resolve("memo.json").toFile(), "rw")) {
            huge.setLength(JsonMemoStore.MAX_BYTES + 1L);
        }
        assertThatThrownBy(() -> new JsonMemoStore(dir).load()).isInstanceOf(MemoException.class)
                .hasMessageContaining("larger than " + JsonMemoStore.MAX_BYTES + " bytes");
    }

    @Test
    void aLockFileThatLinksElsewhereIsNotFollowed() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere")).resolve("root-would-create-this");
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.createSymbolicLink(state.resolve("memo.lock"), elsewhere);
        JsonMemoStore store = new JsonMemoStore(state);

        assertThatThrownBy(() -> store.update(m -> sample())).isInstanceOf(MemoException.class)
                .hasMessageContaining("memo.lock").hasMessageContaining("symbolic link");
        assertThatThrownBy(store::lockedByAnother).hasMessageContaining("symbolic link");
        assertThat(elsewhere).doesNotExist();
        assertThat(store.file()).doesNotExist();
    }

    @Test
    void theFirstUpdateSweepsTheTemporaryFilesOfAKilledWriter() throws Exception {
        Path dead = Files.writeString(dir.resolve(".memo.json.3k2j5h1.tmp"), "half a memo");
        Path unrelated = Files.writeString(dir.resolve(".notes.tmp"), "mine");

        new JsonMemoStore(dir).update(m -> sample());

        assertThat(dead).doesNotExist();
        assertThat(unrelated).exists();
        assertThat(new JsonMemoStore(dir).load()).isEqualTo(sample());
    }
}
