package io.timesync.unix.chrony;

import io.timesync.unix.host.OutsideRootException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChronyConfigTest {

    @TempDir
    Path dir;

    // The target system's root, with a sibling directory "outside" it.
    Path root;

    @BeforeEach
    void createRoot() throws IOException {
        root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(dir.resolve("outside/sources.d"));
        Files.writeString(dir.resolve("outside/x.conf"), "sourcedir /etc/chrony/sources.d\n");
        Files.createDirectories(root.resolve("etc/chrony"));
    }

    private void conf(String... lines) throws IOException {
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), String.join("\n", lines) + "\n");
    }

    @Test
    void readsDebiansDefaultLayoutUnderARootPrefix() throws Exception {
        // The sourcedir and socket lines of Debian 12's /etc/chrony/chrony.conf, plus a confdir include.
        Path etc = Files.createDirectories(root.resolve("etc/chrony/conf.d"));
        Files.writeString(etc.getParent().resolve("chrony.conf"), String.join("\n",
                "# Use Debian vendor zone.", "pool 2.debian.pool.ntp.org iburst", "",
                "confdir /etc/chrony/conf.d", "sourcedir /run/chrony-dhcp", "sourcedir /etc/chrony/sources.d",
                "keyfile /etc/chrony/chrony.keys", "driftfile /var/lib/chrony/chrony.drift", "! commented sourcedir /nope",
                "makestep 1 3", ""));
        Files.writeString(etc.resolve("local.conf"), "bindcmdaddress /run/chrony/custom.sock\nbindcmdaddress 127.0.0.1\n");
        ChronyConfig config = ChronyConfig.find(root).orElseThrow();
        assertThat(config.file()).isEqualTo(root.resolve("etc/chrony/chrony.conf"));
        assertThat(config.sourceDirs()).containsExactly(root.resolve("run/chrony-dhcp"), root.resolve("etc/chrony/sources.d"));
        assertThat(config.commandSocket()).isEqualTo(root.resolve("run/chrony/custom.sock"));
        assertThat(config.managedSourceDir()).contains(root.resolve("etc/chrony/sources.d"));
    }

    @Test
    void fallsBackToTheFirstPersistentSourcedirAndToEtcChronyConf() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/chrony.conf"), "sourcedir /run/dhcp\nsourcedir /etc/chrony.d\n");
        ChronyConfig config = ChronyConfig.find(root).orElseThrow();
        assertThat(config.managedSourceDir()).contains(root.resolve("etc/chrony.d"));
        // No bindcmdaddress: chronyd's default socket, under the root, never this machine's.
        assertThat(config.commandSocket()).isEqualTo(root.resolve("run/chrony/chronyd.sock"));
    }

    @Test
    void anIncludePatternReadsEveryMatchingFileInNameOrderAsChronyDoes(@TempDir Path outside) throws Exception {
        Path conf = Files.createDirectories(root.resolve("etc/chrony/conf.d"));
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), "include /etc/chrony/conf.d/*.conf\n");
        Files.writeString(conf.resolve("10-dirs.conf"), "sourcedir /etc/chrony/sources.d\n");
        Files.writeString(conf.resolve("20-socket.conf"), "bindcmdaddress /run/chrony/first.sock\n");
        Files.writeString(conf.resolve("30-socket.conf"), "bindcmdaddress /run/chrony/second.sock\n");
        Files.writeString(conf.resolve("40-ignored.txt"), "sourcedir /etc/ignored\n");
        ChronyConfig config = ChronyConfig.find(root).orElseThrow();
        assertThat(config.sourceDirs()).containsExactly(root.resolve("etc/chrony/sources.d"));
        // The last bindcmdaddress wins in chronyd, and the files are read in name order.
        assertThat(config.commandSocket()).isEqualTo(root.resolve("run/chrony/second.sock"));
        // A pattern whose match leaves the root is refused like any other include.
        Files.writeString(outside.resolve("x.conf"), "sourcedir /x\n");
        Files.createSymbolicLink(conf.resolve("50-out.conf"), outside.resolve("x.conf"));
        assertThatThrownBy(() -> ChronyConfig.find(root)).isInstanceOf(OutsideRootException.class)
                .hasMessageContaining("50-out.conf");
    }

    @Test
    void noSourcedirNoManagedDirectory() throws Exception {
        Files.createDirectories(root.resolve("etc/chrony"));
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), "server time.example iburst\n");
        assertThat(ChronyConfig.find(root).orElseThrow().managedSourceDir()).isEmpty();
    }

    @Test
    void noChronyConfNoConfig() throws Exception {
        assertThat(ChronyConfig.find(root)).isEmpty();
    }

    @Test
    void aDotDotSourcedirIncludeOrConfdirOutsideTheRootIsRefusedNamingIt() throws Exception {
        for (String line : List.of("sourcedir /../outside/sources.d", "include /../outside/x.conf", "confdir /etc/../../outside",
                "bindcmdaddress /../outside/chronyd.sock")) {
            conf("pool 2.debian.pool.ntp.org iburst", line);
            String path = line.split(" ")[1];
            assertThatThrownBy(() -> ChronyConfig.find(root)).as(line).isInstanceOf(OutsideRootException.class)
                    .hasMessageContaining(line.split(" ")[0] + " in " + root.resolve("etc/chrony/chrony.conf") + " line 2")
                    .hasMessageContaining(path + " leads to " + dir.resolve(path.substring(path.lastIndexOf("outside"))))
                    .hasMessageContaining("outside the root " + root).hasMessageContaining("fix the path or the link");
        }
    }

    @Test
    void aSymbolicLinkLeavingTheRootIsRefusedOneStayingInsideIsFollowed() throws Exception {
        conf("sourcedir /etc/chrony/sources.d");
        Path link = root.resolve("etc/chrony/sources.d");
        Files.createSymbolicLink(link, dir.resolve("outside/sources.d"));
        assertThatThrownBy(() -> ChronyConfig.find(root)).isInstanceOf(OutsideRootException.class)
                .hasMessageContaining("/etc/chrony/sources.d leads to " + dir.resolve("outside/sources.d"));

        // A link inside the root (relative, as a copied tree has them) is followed to where it leads.
        Files.delete(link);
        Path real = Files.createDirectories(root.resolve("srv/chrony/sources"));
        Files.createSymbolicLink(link, Path.of("../../srv/chrony/sources"));
        assertThat(ChronyConfig.find(root).orElseThrow().managedSourceDir()).contains(real);

        // A dangling link is followed too: what would be created through it is outside.
        Files.delete(link);
        Files.createSymbolicLink(link, dir.resolve("elsewhere/sources.d"));
        assertThatThrownBy(() -> ChronyConfig.find(root)).isInstanceOf(OutsideRootException.class)
                .hasMessageContaining("leads to " + dir.resolve("elsewhere/sources.d"));
    }

    @Test
    void aConfdirFileThatIsALinkOutOfTheRootIsRefused() throws Exception {
        Path confd = Files.createDirectories(root.resolve("etc/chrony/conf.d"));
        Files.writeString(confd.resolve("a.conf"), "sourcedir /etc/chrony/sources.d\n");
        Files.createSymbolicLink(confd.resolve("b.conf"), dir.resolve("outside/x.conf"));
        conf("confdir /etc/chrony/conf.d");
        assertThatThrownBy(() -> ChronyConfig.find(root)).isInstanceOf(OutsideRootException.class)
                .hasMessageContaining("a file of confdir /etc/chrony/conf.d").hasMessageContaining("leads to " + dir.resolve("outside/x.conf"));
    }

    @Test
    void aChronyConfThatIsALinkOutOfTheRootIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("etc/chrony/chrony.conf"), dir.resolve("outside/x.conf"));
        assertThatThrownBy(() -> ChronyConfig.find(root)).isInstanceOf(OutsideRootException.class)
                .hasMessageContaining("/etc/chrony/chrony.conf leads to " + dir.resolve("outside/x.conf"));
    }

    @Test
    void withoutBindcmdaddressTheSocketIsChronydsDefaultUnderTheRoot() throws Exception {
        conf("sourcedir /etc/chrony/sources.d");
        assertThat(ChronyConfig.find(root).orElseThrow().commandSocket()).isEqualTo(root.resolve("run/chrony/chronyd.sock"));
        // A chronyd built with /var/run/chrony, whose socket exists there, is found there.
        Files.createDirectories(root.resolve("var/run/chrony"));
        Files.writeString(root.resolve("var/run/chrony/chronyd.sock"), "");
        assertThat(ChronyConfig.find(root).orElseThrow().commandSocket()).isEqualTo(root.resolve("var/run/chrony/chronyd.sock"));
        // The real system's default is the real path.
        assertThat(ChronyConfig.DEFAULT_SOCKETS.get(0)).isEqualTo("/run/chrony/chronyd.sock");
    }

    @Test
    void anIncludeFanOutEndsWithAClearErrorInsteadOfReadingWithoutEnd() throws Exception {
        // Nine files of ten include lines each (chrony.conf and f1 to f8, each including the next ten times):
        // 10^8 readings if followed blindly.
        for (int i = 0; i < 9; i++) {
            List<String> lines = new ArrayList<>();
            for (int j = 0; j < 10; j++) {
                lines.add("include /etc/chrony/f" + (i + 1) + ".conf");
            }
            Files.write(root.resolve(i == 0 ? "etc/chrony/chrony.conf" : "etc/chrony/f" + i + ".conf"), lines);
        }
        Files.writeString(root.resolve("etc/chrony/f9.conf"), "sourcedir /etc/chrony/sources.d\n");
        assertThatThrownBy(() -> ChronyConfig.find(root)).isInstanceOf(IOException.class)
                .hasMessageContaining("includes more than " + ChronyConfig.MAX_FILES + " files")
                .hasMessageContaining(root.resolve("etc/chrony/chrony.conf").toString());
    }

    @Test
    void anIncludeCycleIsNamed() throws Exception {
        Files.writeString(root.resolve("etc/chrony/a.conf"), "include /etc/chrony/b.conf\n");
        Files.writeString(root.resolve("etc/chrony/b.conf"), "sourcedir /etc/chrony/sources.d\ninclude /etc/chrony/a.conf\n");
        conf("include /etc/chrony/a.conf");
        Path a = root.resolve("etc/chrony/a.conf");
        assertThatThrownBy(() -> ChronyConfig.find(root)).isInstanceOf(IOException.class)
                .hasMessageContaining("includes itself: " + a + " -> " + root.resolve("etc/chrony/b.conf") + " -> " + a);
    }

    @Test
    void tooManyBytesEndWithAClearError() throws Exception {
        Files.write(root.resolve("etc/chrony/big.conf"), new byte[(int) ChronyConfig.MAX_BYTES + 1]);
        conf("include /etc/chrony/big.conf");
        assertThatThrownBy(() -> ChronyConfig.find(root)).isInstanceOf(IOException.class)
                .hasMessageContaining("more than " + ChronyConfig.MAX_BYTES + " bytes (at " + root.resolve("etc/chrony/big.conf"));
    }

    @Test
    void aByteThatIsNotUtf8IsRead() throws Exception {
        byte[] latin1 = "# caf\u00e9 (Latin-1)\nsourcedir /etc/chrony/sources.d\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(root.resolve("etc/chrony/chrony.conf"), latin1);
        assertThat(ChronyConfig.find(root).orElseThrow().managedSourceDir()).contains(root.resolve("etc/chrony/sources.d"));
    }

    @Test
    void aRootThatIsItselfALinkWorksAsItsTarget() throws Exception {
        Files.createDirectories(root.resolve("etc/chrony/conf.d"));
        conf("confdir /etc/chrony/conf.d");
        Files.writeString(root.resolve("etc/chrony/conf.d/local.conf"), "sourcedir /etc/chrony/sources.d\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), root);
        ChronyConfig config = ChronyConfig.find(link).orElseThrow();
        assertThat(config.managedSourceDir()).contains(root.resolve("etc/chrony/sources.d"));
        assertThat(io.timesync.unix.host.RootPath.of(link).resolve(config.managedSourceDir().orElseThrow().resolve("timesync.sources"),
                "test")).isEqualTo(root.resolve("etc/chrony/sources.d/timesync.sources"));
    }
}
