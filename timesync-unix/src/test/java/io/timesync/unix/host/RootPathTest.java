package io.timesync.unix.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RootPathTest {

    @TempDir
    Path dir;

    @Test
    void aPathInsideIsItsRealPathAndItsMissingTailIsKept() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("etc/real"));
        Files.createSymbolicLink(root.resolve("etc/linked"), Path.of("real"));
        RootPath under = RootPath.of(root);
        assertThat(under.resolve("/etc/linked/new/file", "test")).isEqualTo(root.resolve("etc/real/new/file"));
        assertThat(under.resolve("etc/./real/../real", "test")).isEqualTo(root.resolve("etc/real"));
        assertThat(under.isRealSystem()).isFalse();
    }

    @Test
    void dotDotAndLinksThatLeaveAreRefusedAfterLinksAreFollowed() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside/deep"));
        // '..' after a link applies to where the link leads, as the kernel does: here back inside.
        Files.createSymbolicLink(Files.createDirectories(root.resolve("etc")).resolve("up"), root.resolve("etc/a/b"));
        Files.createDirectories(root.resolve("etc/a/b"));
        assertThat(RootPath.of(root).resolve("/etc/up/../x", "test")).isEqualTo(root.resolve("etc/a/x"));
        Files.createSymbolicLink(root.resolve("etc/out"), outside);
        assertThatThrownBy(() -> RootPath.of(root).resolve("/etc/out/../x", "test"))
                .isInstanceOf(OutsideRootException.class).hasMessageContaining("leads to " + dir.resolve("outside/x"));
        // ... and back in through the real parent is inside again.
        assertThat(RootPath.of(root).resolve("/etc/out/../../root/etc", "test")).isEqualTo(root.resolve("etc"));
        assertThatThrownBy(() -> RootPath.of(root).resolve("/etc/out", "the thing"))
                .isInstanceOf(OutsideRootException.class).hasMessageStartingWith("the thing /etc/out leads to " + outside);
        assertThatThrownBy(() -> RootPath.of(root).resolve("/missing/../../outside", "test"))
                .isInstanceOf(OutsideRootException.class).hasMessageContaining("leads to " + dir.resolve("outside"));
        // A sibling whose name starts with the root's is not inside it.
        Files.createDirectories(dir.resolve("root2"));
        assertThatThrownBy(() -> RootPath.of(root).resolve("/../root2/x", "test")).isInstanceOf(OutsideRootException.class);
    }

    @Test
    void aRootThatIsItselfALinkHoldsWhatItsTargetHolds() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real-root/etc"));
        Path root = Files.createSymbolicLink(dir.resolve("root"), dir.resolve("real-root"));
        assertThat(RootPath.of(root).resolve("/etc/chrony.conf", "test")).isEqualTo(real.resolve("chrony.conf"));
        assertThat(RootPath.of(Path.of("/")).isRealSystem()).isTrue();
        assertThat(RootPath.of(Path.of("/")).resolve("/run/chrony/chronyd.sock", "test").toString())
                .endsWith("/chrony/chronyd.sock");
    }

    @Test
    void aLinkLoopIsAnError() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        assertThatThrownBy(() -> RootPath.of(root).resolve("/a/x", "test")).hasMessageContaining("symbolic links");
    }
}
