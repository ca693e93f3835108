package io.timesync.unix.host;

import io.timesync.correct.Backups;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.testing.FakeTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transaction on real files, with a service that records what it is asked and fails where told. */
class FileTransactionTest {

    @TempDir
    Path dir;
    FakeTime time = new FakeTime();

    /** A service that uses whatever the file holds, except what {@code rejected} names. */
    static final class Service implements FileTransaction.Service {
        final List<String> calls = new ArrayList<>();
        String rejected;
        String unusable;
        boolean reloadFails;

        @Override
        public String daemon() {
            return "testd";
        }

        @Override
        public FileTransaction.Use use() {
            return FileTransaction.Use.RELOAD;
        }

        @Override
        public String restoredAndUsed() {
            return "the previous file was restored and reloaded";
        }

        @Override
        public void validate(String content) throws CorrectionException {
            calls.add("validate " + content.strip());
            if (content.equals(rejected)) {
                throw new CorrectionException("testd rejected it; nothing was changed", false, null);
            }
        }

        @Override
        public String execute(Plan.Step step) {
            calls.add("execute " + step);
            return "did " + step.getClass().getSimpleName();
        }

        @Override
        public void useRestored(String restored, String written) throws IOException {
            calls.add("use " + (restored == null ? null : restored.strip()) + " after " + written.strip());
            if (reloadFails) {
                throw new IOException("reload failed");
            }
        }

        @Override
        public boolean verify(String content) throws IOException {
            calls.add("verify " + content.strip());
            if (content.equals(unusable)) {
                throw new IOException("testd does not use it");
            }
            return true;
        }
    }

    Path file() {
        return dir.resolve("etc/testd.conf");
    }

    FileTransaction transaction() throws IOException {
        Files.createDirectories(file().getParent());
        return FileTransaction.ofFile("test", file(), new Backups(file(), dir.resolve("backups"), time, 3));
    }

    static Plan writing(Path file, String content) {
        return new Plan("test", List.of(new Plan.WriteFile(file, content), new Plan.SlewClock(5)), "because");
    }

    @Test
    void aVerifiedChangeIsJournaled() throws Exception {
        Files.writeString(Files.createDirectories(file().getParent()).resolve("testd.conf"), "old\n");
        FileTransaction transaction = transaction();
        Service service = new Service();

        Corrector.Applied applied = transaction.apply(writing(file(), "new\n"), service);

        assertThat(applied.verified()).isTrue();
        assertThat(applied.summary()).isEqualTo("wrote " + file() + "; did SlewClock");
        assertThat(Files.readString(file())).isEqualTo("new\n");
        assertThat(service.calls).containsExactly("validate new", "execute SlewClock[nanos=5]", "verify new");
        Backups backups = new Backups(file(), dir.resolve("backups"), time, 3);
        assertThat(backups.journal()).singleElement().satisfies(c -> {
            assertThat(c.previousContent()).isEqualTo("old\n");
            assertThat(c.writtenContent()).isEqualTo("new\n");
        });
    }

    @Test
    void aRejectedVersionChangesNothing() throws Exception {
        FileTransaction transaction = transaction();
        Service service = new Service();
        service.rejected = "new\n";

        assertThatThrownBy(() -> transaction.apply(writing(file(), "new\n"), service))
                .isInstanceOf(CorrectionException.class).hasMessage("testd rejected it; nothing was changed");
        assertThat(file()).doesNotExist();
        assertThat(service.calls).containsExactly("validate new");
    }

    @Test
    void aChangeTheServiceDoesNotUseIsUndoneAndLeavesNothingToRollBack() throws Exception {
        Files.writeString(Files.createDirectories(file().getParent()).resolve("testd.conf"), "old\n");
        FileTransaction transaction = transaction();
        Service service = new Service();
        service.unusable = "new\n";

        assertThatThrownBy(() -> transaction.apply(writing(file(), "new\n"), service))
                .isInstanceOfSatisfying(CorrectionException.class, e -> assertThat(e.rolledBack()).isTrue())
                .hasMessage("testd does not use it; the previous file was restored and reloaded");
        assertThat(Files.readString(file())).isEqualTo("old\n");
        assertThat(service.calls).endsWith("use old after new");
        assertThatThrownBy(() -> transaction.rollback(service)).hasMessageStartingWith("nothing to roll back");
    }

    @Test
    void aServiceThatCannotUseTheRestoredFileIsSaidToo() throws Exception {
        Files.writeString(Files.createDirectories(file().getParent()).resolve("testd.conf"), "old\n");
        FileTransaction transaction = transaction();
        Service service = new Service();
        service.unusable = "new\n";
        service.reloadFails = true;

        assertThatThrownBy(() -> transaction.apply(writing(file(), "new\n"), service))
                .isInstanceOfSatisfying(CorrectionException.class, e -> assertThat(e.rolledBack()).isFalse())
                .hasMessage("testd does not use it; the previous testd.conf was restored, but reloading testd failed too:"
                        + " reload failed");
        assertThat(Files.readString(file())).isEqualTo("old\n");
    }

    @Test
    void aRollbackPutsBackTheVersionTheChangeReplacedAndGoesOneChangeBackEachTime() throws Exception {
        Files.writeString(Files.createDirectories(file().getParent()).resolve("testd.conf"), "first\n");
        FileTransaction transaction = transaction();
        Service service = new Service();
        transaction.apply(writing(file(), "second\n"), service);
        time.monotonic += Duration.ofSeconds(1).toNanos();
        transaction.apply(writing(file(), "third\n"), service);
        service.calls.clear();

        transaction.rollback(service);

        assertThat(Files.readString(file())).isEqualTo("second\n");
        assertThat(service.calls).containsExactly("validate second", "use second after third", "verify second");
        transaction.rollback(service);
        assertThat(Files.readString(file())).isEqualTo("first\n");
    }

    @Test
    void aRollbackTheServiceCannotReloadSaysWhatWasRestored() throws Exception {
        FileTransaction transaction = transaction();
        Service service = new Service();
        transaction.apply(writing(file(), "new\n"), service);
        service.reloadFails = true;

        assertThatThrownBy(() -> transaction.rollback(service)).isInstanceOf(CorrectionException.class)
                .hasMessageStartingWith("removed " + file() + " as it was before the change of ")
                .hasMessageEndingWith(", but reloading testd failed: reload failed; testd reads the file when it starts,"
                        + " or run 'timesync rollback' again");
        assertThat(file()).doesNotExist();
    }
}
