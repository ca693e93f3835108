package io.timesync.unix;

import io.timesync.unix.host.RootPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FirewallsTest {

    @TempDir
    Path root;

    private void program(String path) throws Exception {
        Path p = RootPath.under(root, path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
    }

    private String ufwConf() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/firewall/ufw.conf-debian-0.36.2")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void noToolsNoFirewalls() {
        assertThat(new Firewalls(root).detect()).isEmpty();
    }

    @Test
    void findsEachToolByItsProgramManagersFirst() throws Exception {
        program("/usr/sbin/iptables");
        program("/usr/sbin/nft");
        program("/usr/sbin/ufw");
        program("/usr/sbin/firewalld");
        List<Firewalls.Firewall> found = new Firewalls(root).detect();
        assertThat(found).extracting(Firewalls.Firewall::name).containsExactly("firewalld", "ufw", "nftables", "iptables");
        assertThat(found.get(3).hint()).isEqualTo("iptables: list its rules with 'iptables -S OUTPUT'; let NTP out with"
                + " 'iptables -I OUTPUT -p udp --dport 123 -j ACCEPT'");
        assertThat(found.get(0).evidence()).isEqualTo(root.resolve("usr/sbin/firewalld"));
        // NTS key establishment is TCP, to port 4460 by default.
        assertThat(found).extracting(f -> f.allow("tcp", 4460)).containsExactly(
                "firewall-cmd --permanent --add-port=4460/tcp && firewall-cmd --reload", "ufw allow out 4460/tcp",
                "nft insert rule inet filter output tcp dport 4460 accept (use your table and chain)",
                "iptables -I OUTPUT -p tcp --dport 4460 -j ACCEPT");
        assertThat(found.get(0).hint()).endsWith("'firewall-cmd --permanent --add-service=ntp && firewall-cmd --reload'");
        assertThat(found.get(1).hint("NTS key establishment", "tcp", 4460)).isEqualTo("ufw: list its rules with"
                + " 'ufw status verbose'; let NTS key establishment out with 'ufw allow out 4460/tcp'");
    }

    @Test
    void iptablesInSbinCountsToo() throws Exception {
        program("/sbin/iptables");
        assertThat(new Firewalls(root).detect()).extracting(Firewalls.Firewall::name).containsExactly("iptables");
    }

    @Test
    void ufwAsDebianShipsItIsDisabledAndAfterUfwEnableItIsEnabled() throws Exception {
        program("/usr/sbin/ufw");
        Path conf = RootPath.under(root, "/etc/ufw/ufw.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, ufwConf());
        Firewalls.Firewall ufw = new Firewalls(root).detect().get(0);
        assertThat(ufw.active()).isFalse();
        assertThat(ufw.hint()).startsWith("ufw (installed, disabled): ");
        // What 'ufw enable' does to the file (its postinst and the tool rewrite the ENABLED= line).
        Files.writeString(conf, ufwConf().replace("ENABLED=no", "ENABLED=yes"));
        ufw = new Firewalls(root).detect().get(0);
        assertThat(ufw.active()).isTrue();
        assertThat(ufw.hint()).isEqualTo("ufw (enabled): list its rules with 'ufw status verbose'; let NTP out with"
                + " 'ufw allow out 123/udp'");
    }

    @Test
    void ufwWithoutItsConfigCannotTell() throws Exception {
        program("/usr/sbin/ufw");
        assertThat(new Firewalls(root).detect().get(0).active()).isNull();
    }
}
