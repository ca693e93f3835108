package io.timesync.windows.w32time;

import io.timesync.correct.Plan;
import io.timesync.time.ServerAddress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The argument lists of reg, sc and w32tm that drive the Windows Time service. Each is a list for
 * ProcessBuilder, never a shell string. Two details are easy to get wrong:
 * <ul>
 *   <li>sc's options are the word and its {@code =} glued ({@code start=}) followed by the value as
 *       a separate argument ({@code auto}).</li>
 *   <li>w32tm's peer list is ONE argument, {@code /manualpeerlist:a,0x8 b,0x8}: space-separated
 *       {@code host,flags} entries. Java quotes an argument containing spaces as a whole when it builds
 *       the Windows command line, and w32tm reads it back as one argument.</li>
 * </ul>
 */
public final class W32TimeCommands {

    /** The store of the values a w32time plan sets. */
    public static final String REGISTRY = "registry";
    /** The service's name for sc. */
    public static final String SERVICE = "w32time";
    /** The service's settings (poll intervals, phase-correction limits). */
    public static final String CONFIG_KEY = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config";
    /** The client's type and peers. */
    public static final String PARAMETERS_KEY = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters";

    /** {@code sc query w32time}: the state. */
    public static final List<String> SC_QUERY = List.of("sc", "query", SERVICE);
    /** {@code sc qc w32time}: the start type. */
    public static final List<String> SC_QC = List.of("sc", "qc", SERVICE);
    /** {@code sc config w32time start= auto}: start with Windows. */
    public static final List<String> SC_AUTO_START = List.of("sc", "config", SERVICE, "start=", "auto");
    /** {@code sc start w32time}. */
    public static final List<String> SC_START = List.of("sc", "start", SERVICE);
    /** {@code w32tm /query /status /verbose}: the service's own view of the clock. */
    public static final List<String> STATUS = List.of("w32tm", "/query", "/status", "/verbose");
    /** {@code w32tm /query /configuration}: the effective settings and where each comes from. */
    public static final List<String> CONFIGURATION = List.of("w32tm", "/query", "/configuration");
    /** {@code w32tm /config /update}: make the service read its settings again. */
    public static final List<String> UPDATE = List.of("w32tm", "/config", "/update");
    /** {@code w32tm /resync /nowait}: a sync the service carries out its own way (a slew below MaxAllowedPhaseOffset). */
    public static final List<String> RESYNC_SLEW = List.of("w32tm", "/resync", "/nowait");
    /** {@code w32tm /resync /force}: a sync now, stepping within the phase-correction limits. */
    public static final List<String> RESYNC_STEP = List.of("w32tm", "/resync", "/force");

    private W32TimeCommands() {
    }

    /** The peer flags of w32time's NtpServer list (combined by OR). */
    public enum PeerFlag {
        /** 0x1: poll every SpecialPollInterval instead of the dynamic interval. */
        SPECIAL_INTERVAL(0x1),
        /** 0x2: use only when no other peer answers. */
        USE_AS_FALLBACK_ONLY(0x2),
        /** 0x4: symmetric active mode. */
        SYMMETRIC_ACTIVE(0x4),
        /** 0x8: client mode, polled within MinPollInterval..MaxPollInterval: what TimeSync uses. */
        CLIENT(0x8);

        private final int bit;

        PeerFlag(int bit) {
            this.bit = bit;
        }

        /** The flag's bit. */
        public int bit() {
            return bit;
        }
    }

    /** {@code reg query KEY}: all values of a key. */
    public static List<String> regQuery(String key) {
        return List.of("reg", "query", key);
    }

    /** {@code reg query KEY /v NAME}: one value. */
    public static List<String> regQuery(String key, String name) {
        return List.of("reg", "query", key, "/v", name);
    }

    /** {@code reg add KEY /v NAME /t TYPE /d DATA /f}: set one value, overwriting without asking. */
    public static List<String> regAdd(String key, String name, String type, String data) {
        return List.of("reg", "add", key, "/v", name, "/t", type, "/d", data, "/f");
    }

    /** A plan's step that sets one registry value with {@code reg add}. */
    public static Plan.SetValue setValue(String key, String name, String type, String data) {
        return new Plan.SetValue(REGISTRY, key, name, type, data, regAdd(key, name, type, data));
    }

    /**
     * A plan's step that sets the peer list (the Parameters key's NtpServer) with {@code w32tm /config}, the tool that
     * also makes the service use it; it writes Type (NTP) as well.
     */
    public static Plan.SetValue setPeers(String peerList) {
        return new Plan.SetValue(REGISTRY, PARAMETERS_KEY, "NtpServer", "REG_SZ", peerList, configurePeers(peerList));
    }

    /** Whether {@code step} sets the peers with {@code w32tm /config}, writing Type as well. */
    static boolean setsPeers(Plan.SetValue step) {
        return step.equals(setPeers(step.value()));
    }

    /** Whether {@code step}'s command writes exactly the registry value its fields name (and, for the peers, Type). */
    static boolean writesOnlyItsValue(Plan.SetValue step) {
        return step.equals(setValue(step.key(), step.name(), step.type(), step.value())) || setsPeers(step);
    }

    /** {@code reg delete KEY /v NAME /f}: remove one value (to restore one that did not exist). */
    public static List<String> regDelete(String key, String name) {
        return List.of("reg", "delete", key, "/v", name, "/f");
    }

    /**
     * The peer list w32time's {@code /manualpeerlist:} takes: {@code host,0x8} entries separated by
     * one space, each host validated again, one entry per host.
     *
     * <p>The list has no room for a port: w32time asks port 123 of each host. A server TimeSync
     * measured on another port ({@code --server host:4123}) goes into the list by its host, and a note
     * says that w32time will ask that host's port 123 instead.
     *
     * @param servers {@code host:port} keys
     * @param notes   receives a note for each server measured on another port than 123
     */
    public static String peerList(List<String> servers, List<String> notes) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String key : servers) {
            ServerAddress server = ServerAddress.parse(key, ServerAddress.NTP_PORT);
            if (server.port() != ServerAddress.NTP_PORT) {
                notes.add(server + " was measured on port " + server.port() + "; w32time asks " + server.host()
                        + " on port 123, the only port it talks to");
            }
            hosts.add(server.host());
        }
        List<String> entries = new ArrayList<>();
        for (String host : hosts) {
            entries.add(host + ",0x" + Integer.toHexString(PeerFlag.CLIENT.bit()));
        }
        return String.join(" ", entries);
    }

    /** {@code w32tm /config /manualpeerlist:LIST /syncfromflags:manual /update}, the list one argument. */
    public static List<String> configurePeers(String peerList) {
        return List.of("w32tm", "/config", "/manualpeerlist:" + peerList, "/syncfromflags:manual", "/update");
    }

    /**
     * {@code w32tm /stripchart /computer:HOST /dataonly /samples:N}: measure a server's offset with
     * w32tm, which asks port 123 of the host (like the peer list, /computer: has no port).
     */
    public static List<String> stripchart(ServerAddress server, int samples) {
        if (samples < 1 || samples > 100) {
            throw new IllegalArgumentException("samples must be 1 to 100, got " + samples);
        }
        return List.of("w32tm", "/stripchart", "/computer:" + server.host(), "/dataonly", "/samples:" + samples);
    }
}
