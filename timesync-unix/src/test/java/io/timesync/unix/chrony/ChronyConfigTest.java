package io.timesync.unix.chrony;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ChronyConfigTest {

    @TempDir
    Path root;

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
    void noSourcedirNoManagedDirectory() throws Exception {
        Files.createDirectories(root.resolve("etc/chrony"));
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), "server time.example iburst\n");
        assertThat(ChronyConfig.find(root).orElseThrow().managedSourceDir()).isEmpty();
    }

    @Test
    void noChronyConfNoConfig() throws Exception {
        assertThat(ChronyConfig.find(root)).isEmpty();
    }
}
