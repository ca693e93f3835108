package io.timesync.app.doctor;

import io.timesync.time.Measurement;
import io.timesync.time.SampleFailure;
import io.timesync.time.ServerAddress;
import io.timesync.text.NanosText;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.memo.JsonMemoStore;
import io.timesync.ntp.Leap;
import io.timesync.nts.NtsKeException;
import io.timesync.platform.ServiceTracking;
import io.timesync.unix.Firewalls.Firewall;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The checks of {@code timesync doctor}, each a function from what was found to a {@link Check}:
 * gathering the facts (running tools, probing) is {@link Doctor}'s job, so every check can be
 * tested on recorded outputs. The order of the methods is the order of the report.
 */
final class DoctorChecks {

    private DoctorChecks() {
    }

    /**
     * One server name looked up.
     *
     * @param server    as configured
     * @param addresses what it resolved to (empty when it did not)
     * @param error     why it did not resolve, else null
     */
    record Lookup(ServerAddress server, List<String> addresses, String error) {
        Lookup {
            addresses = List.copyOf(addresses);
        }

        boolean resolved() {
            return error == null;
        }

        /** Whether the server was given as an address, so no DNS was involved. */
        boolean literal() {
            String host = server.host();
            return host.contains(":") || host.matches("[0-9.]+");
        }
    }

    static Check privileges(boolean realSystem, boolean privileged) {
        String title = "privileges for correction";
        if (!realSystem) {
            return Check.pass("privileges", title, "--root points at another system's files: no privileges needed");
        }
        if (privileged) {
            return Check.pass("privileges", title, "running as root: sync, rollback, setup and service install can change the system");
        }
        return Check.warn("privileges", title, "not running as root: probe, status and doctor work, but sync, rollback, setup"
                + " and service install need root", "run those as root, e.g. 'sudo timesync sync'");
    }

    static Check dns(List<Lookup> lookups) {
        String title = "DNS resolves the configured servers";
        List<Lookup> names = lookups.stream().filter(l -> !l.literal()).toList();
        if (names.isEmpty()) {
            return Check.pass("dns", title, "servers are given as addresses: nothing to look up");
        }
        List<Lookup> failed = names.stream().filter(l -> !l.resolved()).toList();
        String resolved = names.stream().filter(Lookup::resolved)
                .map(l -> l.server().host() + " -> " + String.join(", ", l.addresses())).collect(Collectors.joining("; "));
        if (failed.isEmpty()) {
            return Check.pass("dns", title, names.size() + " name(s) resolve: " + resolved);
        }
        String errors = failed.stream().map(Lookup::error).collect(Collectors.joining("; "));
        String fix = "check the names, and the resolver: /etc/resolv.conf ('resolvectl status' where systemd-resolved runs)";
        if (failed.size() == names.size() && lookups.stream().noneMatch(Lookup::literal)) {
            return Check.fail("dns", title, "no server name resolves: " + errors, fix
                    + "; or give servers by address with --server", Check.Cause.NO_SERVER);
        }
        return Check.warn("dns", title, failed.size() + " of " + names.size() + " name(s) do not resolve: " + errors
                + (resolved.isEmpty() ? "" : " (resolved: " + resolved + ")"), fix);
    }

    /**
     * @param lookups      the DNS lookups (to tell "blocked" from "not looked up")
     * @param measurements the probes of every resolved address
     * @param firewalls    the firewall tools found, for the hint
     */
    static Check ntp(List<Lookup> lookups, List<Measurement> measurements, List<Firewall> firewalls) {
        return ntp(lookups, measurements, firewalls, false);
    }

    /**
     * @param lookups      the DNS lookups of the plain servers (to tell "blocked" from "not looked up")
     * @param measurements the probes of every resolved address
     * @param firewalls    the firewall tools found, for the hint
     * @param ntsServers   whether NTS servers are configured (and checked by {@link #nts}), so that no
     *                     plain server is no failure
     */
    static Check ntp(List<Lookup> lookups, List<Measurement> measurements, List<Firewall> firewalls, boolean ntsServers) {
        String title = "NTP replies arrive from the servers";
        if (measurements.isEmpty()) {
            if (lookups.isEmpty() && ntsServers) {
                return Check.skip("ntp", title, "no plain NTP server is configured, only NTS servers (see nts)");
            }
            return lookups.isEmpty()
                    ? Check.fail("ntp", title, "no server is configured", "give one with --server HOST, or in --config",
                    Check.Cause.NO_SERVER)
                    : Check.skip("ntp", title, "nothing to probe: no server name resolved (see dns)");
        }
        List<Measurement> answered = measurements.stream().filter(Measurement::answered).toList();
        List<Measurement> silent = measurements.stream().filter(m -> !m.answered()).toList();
        String failures = silent.stream().map(m -> m.key() + ": " + m.error()).collect(Collectors.joining("; "));
        if (silent.isEmpty()) {
            return Check.pass("ntp", title, "all " + measurements.size() + " address(es) answered: "
                    + answered.stream().map(m -> m.key() + " stratum " + m.estimate().best().stratum())
                    .collect(Collectors.joining(", ")));
        }
        if (!answered.isEmpty()) {
            return Check.warn("ntp", title, answered.size() + " of " + measurements.size() + " address(es) answered; "
                    + failures, "nothing urgent: TimeSync selects among those that answer; drop the silent ones from"
                    + " your configuration if they stay silent");
        }
        // A firewall that drops gives timeouts; one that rejects gives network errors (port or host unreachable).
        boolean blocked = silent.stream().allMatch(m -> !m.failures().isEmpty()
                && m.failures().stream().allMatch(f -> f.kind() == SampleFailure.Kind.TIMEOUT
                || f.kind() == SampleFailure.Kind.NETWORK || f.kind() == SampleFailure.Kind.PORT_UNREACHABLE));
        if (blocked) {
            String ports = measurements.stream().map(m -> Integer.toString(m.port())).distinct().collect(Collectors.joining(", "));
            return Check.fail("ntp", title, "every request to every server timed out or was rejected although DNS works:"
                    + " outgoing UDP to port " + ports + " (or the replies) is probably blocked by a firewall; " + failures,
                    firewallHint(firewalls), Check.Cause.NO_SERVER);
        }
        return Check.fail("ntp", title, "no server gave a usable reply: " + failures,
                "use other servers (--server), or wait if a server sent a Kiss-o'-Death RATE", Check.Cause.NO_SERVER);
    }

    /** What to look at when UDP 123 seems blocked: the firewall tools present, else the network's. */
    static String firewallHint(List<Firewall> firewalls) {
        return firewallHint(firewalls, "NTP", "udp", 123);
    }

    /** What to look at when {@code what} ({@code protocol} to {@code port}) seems blocked. */
    static String firewallHint(List<Firewall> firewalls, String what, String protocol, int port) {
        if (firewalls.isEmpty()) {
            return "no host firewall (firewalld, ufw, nftables, iptables) is installed here: ask whoever runs the network"
                    + " whether " + what + " (" + protocol.toUpperCase(Locale.ROOT) + " " + port + ") may leave it";
        }
        return firewalls.stream().map(f -> f.hint(what, protocol, port)).collect(Collectors.joining("; "))
                + "; if these allow it, a firewall on the network may not";
    }

    /**
     * Whether the NTS servers work: key establishment (a TLS 1.3 connection to the NTS-KE port) and
     * an authenticated NTP exchange with the server it names.
     *
     * @param measurements   the NTS measurements of every NTS server whose name resolved
     * @param othersAnswered whether a plain server answered, so that TimeSync still has time, unauthenticated
     * @param firewalls      the firewall tools found, for the hint
     */
    static Check nts(List<Measurement> measurements, boolean othersAnswered, List<Firewall> firewalls) {
        String title = "NTS servers authenticate";
        if (measurements.isEmpty()) {
            return Check.skip("nts", title, "nothing to reach: no NTS server name resolved (see dns)");
        }
        List<Measurement> good = measurements.stream().filter(m -> m.answered() && m.authenticated()).toList();
        List<Measurement> bad = measurements.stream().filter(m -> !(m.answered() && m.authenticated())).toList();
        String failures = bad.stream().map(m -> m.server() + ": " + m.error()).collect(Collectors.joining("; "));
        if (bad.isEmpty()) {
            return Check.pass("nts", title, "all " + good.size() + " NTS server(s) completed key establishment and gave"
                    + " authenticated replies: " + good.stream().map(m -> m.server() + " -> " + m.key() + " stratum "
                    + m.estimate().best().stratum()).collect(Collectors.joining(", ")));
        }
        if (!good.isEmpty()) {
            return Check.warn("nts", title, good.size() + " of " + measurements.size() + " NTS server(s) authenticated; "
                    + failures, "nothing urgent: TimeSync measures those that authenticate; drop the others from your"
                    + " configuration if they keep failing");
        }
        String detail;
        String fix;
        // Key establishment that never got a connection: no address of the server, a connect error or timeout.
        boolean keBlocked = bad.stream().allMatch(m -> m.address() == null && m.error() != null
                && (m.error().contains(NtsKeException.Reason.CONNECT.tag()) || m.error().contains(NtsKeException.Reason.TIMEOUT.tag())));
        boolean ntpBlocked = bad.stream().allMatch(m -> m.address() != null && !m.failures().isEmpty()
                && m.failures().stream().allMatch(f -> f.kind() == SampleFailure.Kind.TIMEOUT
                || f.kind() == SampleFailure.Kind.NETWORK || f.kind() == SampleFailure.Kind.PORT_UNREACHABLE));
        if (keBlocked) {
            List<Integer> ports = bad.stream().map(m -> m.server().port()).distinct().toList();
            detail = "no NTS-KE server took a TCP connection although DNS works: outgoing TCP to port "
                    + ports.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " (NTS key establishment) is probably blocked by a firewall; " + failures;
            fix = ports.stream().map(port -> firewallHint(firewalls, "NTS key establishment", "tcp", port))
                    .collect(Collectors.joining("; "));
        } else if (ntpBlocked) {
            List<Integer> ports = bad.stream().map(Measurement::port).distinct().toList();
            detail = "key establishment worked, but no NTS-protected NTP reply arrived: outgoing UDP to port "
                    + ports.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " (or the replies) is probably blocked by a firewall; " + failures;
            fix = ports.stream().map(port -> firewallHint(firewalls, "NTP", "udp", port)).collect(Collectors.joining("; "));
        } else {
            detail = "no NTS server authenticated: " + failures;
            fix = "for a private CA, give its certificate with ntsTrust in the configuration (or --nts-trust FILE);"
                    + " otherwise check the names, or use other NTS servers";
        }
        if (othersAnswered) {
            return Check.warn("nts", title, detail + " (plain NTP servers answer: time without authentication)", fix);
        }
        return Check.fail("nts", title, detail, fix, Check.Cause.NO_SERVER);
    }

    /**
     * Whether {@code dir} can take TimeSync's files: writable, or creatable under its nearest existing
     * parent. Writes and removes one empty temporary file to be sure (permissions alone do not tell:
     * read-only mounts, ACLs).
     *
     * @param blocking whether TimeSync cannot work without it (the state) or only loses a record (the log)
     */
    static Check directory(String id, String title, Path dir, boolean blocking) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        String problem;
        boolean denied = false;
        if (existing == null) {
            problem = "no part of " + dir + " exists";
        } else if (!Files.isDirectory(existing)) {
            problem = existing + " is not a directory";
        } else {
            try {
                Files.delete(Files.createTempFile(existing, ".timesync-doctor", ".tmp"));
                return Check.pass(id, title, existing.equals(dir.toAbsolutePath()) ? dir + " is writable"
                        : dir + " does not exist yet; " + existing + " is writable, so it will be created");
            } catch (AccessDeniedException e) {
                denied = true;
                problem = "permission denied writing in " + existing;
            } catch (IOException e) {
                problem = "cannot write in " + existing + ": " + e.getMessage();
            }
        }
        String fix = denied ? "run as root, or choose a directory you own (--state-dir DIR)"
                : "choose another directory (--state-dir DIR) or repair this one";
        if (!blocking) {
            return Check.warn(id, title, problem + " (the log is lost, TimeSync still works)", fix);
        }
        return Check.fail(id, title, problem, fix, denied ? Check.Cause.PERMISSION : Check.Cause.CANNOT_WRITE);
    }

    static Check lock(JsonMemoStore store) {
        String title = "no other agent holds the state lock";
        try {
            if (store.lockedByAnother()) {
                return Check.warn("lock", title, "another TimeSync holds " + store.lockFile() + ": an agent or a sync run"
                        + " is working, and a second one would wait for it", "let it finish, or find it: 'fuser -v "
                        + store.lockFile() + "'");
            }
            return Check.pass("lock", title, store.lockFile() + " is free");
        } catch (IOException e) {
            return Check.warn("lock", title, "cannot open " + store.lockFile() + ": " + e.getMessage(),
                    "check the state directory's permissions");
        }
    }

    static Check leap(ServiceTracking tracking, List<Measurement> measurements) {
        String title = "no leap second announced";
        List<String> announcing = new ArrayList<>();
        String source;
        if (tracking != null && tracking.synchronised()) {
            source = "chronyd";
            if (tracking.leap() == Leap.ADD_SECOND || tracking.leap() == Leap.DELETE_SECOND) {
                announcing.add("chronyd (" + leapWord(tracking.leap()) + ")");
            }
        } else {
            List<Measurement> answered = measurements.stream().filter(Measurement::answered).toList();
            if (answered.isEmpty()) {
                return Check.skip("leap", title, "no synchronised time service and no server answered (see above)");
            }
            source = answered.size() + " server address(es)";
            for (Measurement m : answered) {
                Leap leap = m.estimate().best().leap();
                if (leap == Leap.ADD_SECOND || leap == Leap.DELETE_SECOND) {
                    announcing.add(m.key() + " (" + leapWord(leap) + ")");
                }
            }
        }
        if (announcing.isEmpty()) {
            return Check.pass("leap", title, "the leap indicator is clear (from " + source + ")");
        }
        return Check.warn("leap", title, "a leap second is announced for the end of this month by "
                + String.join(", ", announcing), "nothing to do if every machine handles it the same way; never mix"
                + " leap-smearing servers (e.g. Google's) with others around it");
    }

    static Check offset(ServiceTracking tracking, List<Measurement> measurements, CorrectionPolicy policy) {
        String title = "current offset small";
        long offset;
        String source;
        if (tracking != null && tracking.synchronised()) {
            offset = tracking.skewNanos();
            source = "chronyd's tracking";
        } else {
            long[] offsets = measurements.stream().filter(Measurement::answered).mapToLong(m -> m.estimate().offsetNanos())
                    .sorted().toArray();
            if (offsets.length == 0) {
                return Check.skip("offset", title, "no synchronised time service and no server answered (see above)");
            }
            offset = offsets[offsets.length / 2];
            source = "the median of " + offsets.length + " server address(es)";
        }
        String behind = offset >= 0 ? "behind" : "ahead";
        String text = "the clock is " + NanosText.of(Math.abs(offset), false) + " " + behind + " (" + source
                + "; offset = server - local = " + NanosText.of(offset, true) + ")";
        long abs = offset == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(offset);
        if (abs > policy.panicBound().toNanos()) {
            return Check.warn("offset", title, text + ", beyond the panic bound of " + policy.panicBound().toSeconds()
                    + " s", "check the servers agree (timesync probe), then 'sudo timesync sync --allow-large-step'");
        }
        if (abs >= policy.stepThreshold().toNanos()) {
            return Check.warn("offset", title, text + ": at least " + policy.stepThreshold().toMillis()
                    + " ms, so it will be stepped", "'sudo timesync sync' steps it through the time service");
        }
        return Check.pass("offset", title, text);
    }

    private static String leapWord(Leap leap) {
        return leap == Leap.ADD_SECOND ? "insert" : "delete";
    }
}
