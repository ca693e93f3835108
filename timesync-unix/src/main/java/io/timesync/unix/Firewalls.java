package io.timesync.unix;

import io.timesync.unix.host.RootPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which host firewall tools a system has, from their files under a root prefix: firewalld, ufw,
 * nftables and iptables. When every NTP request times out although DNS works, the usual cause is a
 * firewall dropping UDP port 123 (for NTS key establishment, TCP port 4460), and the fix depends on
 * which of these manages the rules. Reads files only: it runs none of the tools (listing rules needs
 * root, and the answer is only a hint).
 */
public final class Firewalls {

    /**
     * One firewall tool found.
     *
     * @param name    firewalld, ufw, nftables or iptables
     * @param active  whether its files say it is switched on (only ufw says so: ENABLED=yes); null when they cannot tell
     * @param evidence the file that shows it
     * @param inspect the command line that lists its rules (for people to type; never run)
     */
    public record Firewall(String name, Boolean active, Path evidence, String inspect) {

        /** One line for people: what was found, how to look, how to let NTP (UDP 123) out. */
        public String hint() {
            return hint("NTP", "udp", 123);
        }

        /**
         * One line for people: what was found, how to look, how to let {@code what} out.
         *
         * @param what     what the rule is for, e.g. {@code NTS key establishment}
         * @param protocol {@code udp} or {@code tcp}
         * @param port     the destination port
         */
        public String hint(String what, String protocol, int port) {
            String state = active == null ? "" : active ? " (enabled)" : " (installed, disabled)";
            return name + state + ": list its rules with '" + inspect + "'; let " + what + " out with '"
                    + allow(protocol, port) + "'";
        }

        /** The command line that lets requests to {@code port} out (for people to type; never run). */
        public String allow(String protocol, int port) {
            return switch (name) {
                case "firewalld" -> protocol.equals("udp") && port == 123
                        ? "firewall-cmd --permanent --add-service=ntp && firewall-cmd --reload"
                        : "firewall-cmd --permanent --add-port=" + port + "/" + protocol + " && firewall-cmd --reload";
                case "ufw" -> "ufw allow out " + port + "/" + protocol;
                case "nftables" -> "nft insert rule inet filter output " + protocol + " dport " + port
                        + " accept (use your table and chain)";
                default -> "iptables -I OUTPUT -p " + protocol + " --dport " + port + " -j ACCEPT";
            };
        }
    }

    private static final List<String> SBIN = List.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/");

    private final Path root;

    /** Looks at the system under {@code root} ("/" for this one). */
    public Firewalls(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The tools found, the higher-level managers first (their rules are the ones to change). */
    public List<Firewall> detect() {
        List<Firewall> found = new ArrayList<>();
        program("firewalld").ifPresent(p -> found.add(new Firewall("firewalld", null, p,
                "firewall-cmd --list-all")));
        program("ufw").ifPresent(p -> found.add(new Firewall("ufw", ufwEnabled(), p,
                "ufw status verbose")));
        program("nft").ifPresent(p -> found.add(new Firewall("nftables", null, p,
                "nft list ruleset")));
        program("iptables").ifPresent(p -> found.add(new Firewall("iptables", null, p,
                "iptables -S OUTPUT")));
        return found;
    }

    /** ufw's own switch: {@code ENABLED=yes} in /etc/ufw/ufw.conf; null when the file is missing or unreadable. */
    Boolean ufwEnabled() {
        try {
            Path conf = RootPath.of(root).resolve("/etc/ufw/ufw.conf", "ufw's configuration");
            if (!Files.isRegularFile(conf)) {
                return null;
            }
            for (String line : new String(Files.readAllBytes(conf), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.startsWith("ENABLED=")) {
                    String value = l.substring("ENABLED=".length()).replace("\"", "").replace("'", "").strip();
                    return value.toLowerCase(Locale.ROOT).equals("yes");
                }
            }
        } catch (IOException e) {
            return null;
        }
        return false;
    }

    private java.util.Optional<Path> program(String name) {
        return SBIN.stream().map(dir -> RootPath.under(root, dir + name)).filter(Files::isRegularFile).findFirst();
    }
}
