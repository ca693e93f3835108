package io.timesync.windows.w32time;

import java.util.List;

/**
 * The reg, sc and w32tm argument lists the tests expect, written out literally rather than taken
 * from {@link W32TimeCommands}: a fake or an assertion that compared calls with the production
 * constants would agree with any mistake made in them.
 */
public final class W32TimeCalls {

    /** The service's settings key. */
    public static final String CONFIG_KEY = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config";
    /** The client's type and peers key. */
    public static final String PARAMETERS_KEY = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters";

    public static final List<String> SC_QUERY = List.of("sc", "query", "w32time");
    public static final List<String> SC_QC = List.of("sc", "qc", "w32time");
    public static final List<String> SC_AUTO_START = List.of("sc", "config", "w32time", "start=", "auto");
    public static final List<String> SC_START = List.of("sc", "start", "w32time");
    public static final List<String> STATUS = List.of("w32tm", "/query", "/status", "/verbose");
    public static final List<String> CONFIGURATION = List.of("w32tm", "/query", "/configuration");
    public static final List<String> UPDATE = List.of("w32tm", "/config", "/update");
    public static final List<String> RESYNC_SLEW = List.of("w32tm", "/resync", "/nowait");
    public static final List<String> RESYNC_STEP = List.of("w32tm", "/resync", "/force");

    private W32TimeCalls() {
    }

    public static List<String> regQuery(String key) {
        return List.of("reg", "query", key);
    }

    public static List<String> regQuery(String key, String name) {
        return List.of("reg", "query", key, "/v", name);
    }

    public static List<String> regAdd(String key, String name, String type, String data) {
        return List.of("reg", "add", key, "/v", name, "/t", type, "/d", data, "/f");
    }

    public static List<String> regDelete(String key, String name) {
        return List.of("reg", "delete", key, "/v", name, "/f");
    }

    /** {@code w32tm /config /manualpeerlist:LIST /syncfromflags:manual /update}, the list one argument. */
    public static List<String> configurePeers(String peerList) {
        return List.of("w32tm", "/config", "/manualpeerlist:" + peerList, "/syncfromflags:manual", "/update");
    }
}
