package io.timesync.time;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A time server as the user names it: a host (DNS name, IPv4 or IPv6 literal) and a UDP port.
 * Built only through {@link #parse} or the validating constructor, so a host never carries
 * characters that no host name has (it may end up in a command line or a config file later).
 *
 * @param host a validated host name or address literal (IPv6 without brackets)
 * @param port the UDP port, 1-65535
 */
public record ServerAddress(String host, int port) {

    /** The NTP port. */
    public static final int NTP_PORT = 123;

    private static final int MAX_NAME_LENGTH = 253;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern NUMERIC_DOTTED = Pattern.compile("[0-9.]+");
    private static final Pattern IPV4 = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?");

    /** Validates both parts; throws {@link IllegalArgumentException} naming what is wrong. */
    public ServerAddress {
        Objects.requireNonNull(host, "host");
        checkHost(host);
        checkPort(port, host);
    }

    /**
     * Parses {@code HOST}, {@code HOST:PORT}, {@code [IPV6]}, {@code [IPV6]:PORT} or a bare IPv6
     * literal (which then takes the default port).
     *
     * @throws IllegalArgumentException with a message saying what is wrong and what is expected
     */
    public static ServerAddress parse(String text, int defaultPort) {
        Objects.requireNonNull(text, "text");
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty server name: expected HOST or HOST:PORT");
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("invalid server '" + text + "': missing ']' after the IPv6 address");
            }
            String host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new ServerAddress(requireIpv6(host, text), defaultPort);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("invalid server '" + text + "': expected ':PORT' after ']'");
            }
            return new ServerAddress(requireIpv6(host, text), parsePort(rest.substring(1), text));
        }
        int firstColon = s.indexOf(':');
        if (firstColon < 0) {
            return new ServerAddress(s, defaultPort);
        }
        if (s.indexOf(':', firstColon + 1) >= 0) {
            // Several colons: a bare IPv6 literal, which cannot carry a port without brackets.
            return new ServerAddress(requireIpv6(s, text), defaultPort);
        }
        return new ServerAddress(s.substring(0, firstColon), parsePort(s.substring(firstColon + 1), text));
    }

    /** Whether the host is an IPv6 literal (it then needs brackets in front of a port). */
    public boolean isIpv6Literal() {
        return host.indexOf(':') >= 0;
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    @Override
    public String toString() {
        return (isIpv6Literal() ? "[" + host + "]" : host) + ":" + port;
    }

    private static String requireIpv6(String host, String text) {
        if (host.indexOf(':') < 0) {
            throw new IllegalArgumentException("invalid server '" + text + "': only IPv6 addresses go in brackets");
        }
        return host;
    }

    private static int parsePort(String port, String text) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid server '" + text + "': port '" + port
                    + "' is not a number from 1 to 65535");
        }
        return Integer.parseInt(port);
    }

    private static void checkPort(int port, String host) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid server '" + host + "': port " + port
                    + " is out of range (1 to 65535)");
        }
    }

    private static void checkHost(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host name: expected a DNS name or an IP address");
        }
        if (host.indexOf(':') >= 0) {
            checkIpv6(host);
            return;
        }
        if (NUMERIC_DOTTED.matcher(host).matches()) {
            if (!IPV4.matcher(host).matches()) {
                throw new IllegalArgumentException("invalid host '" + host + "': not a valid IPv4 address (expected a.b.c.d, each 0-255)");
            }
            return;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("invalid host name '" + abbreviate(host) + "': longer than 253 characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("invalid host name '" + abbreviate(host)
                        + "': each dot-separated label must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen");
            }
        }
    }

    private static void checkIpv6(String host) {
        if (!IPV6_CHARS.matcher(host).matches()) {
            throw new IllegalArgumentException("invalid IPv6 address '" + abbreviate(host) + "': unexpected characters");
        }
        try {
            // A literal containing ':' is parsed, never looked up in DNS.
            InetAddress.getByName(host);
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException("invalid IPv6 address '" + abbreviate(host) + "'", e);
        }
    }

    private static String abbreviate(String s) {
        String printable = s.codePoints().allMatch(c -> c >= 0x20 && c < 0x7F) ? s : s.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 77) + "...";
    }
}
