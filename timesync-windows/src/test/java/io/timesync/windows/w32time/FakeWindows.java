package io.timesync.windows.w32time;

import io.timesync.correct.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Windows machine's w32time as reg, sc and w32tm show it, for tests: a registry, the service's
 * state and start type. It answers each command the corrector may run in the tools' own formats
 * (the layouts of the recordings in src/test/resources/w32time), records every call, can be told to
 * fail one command with a given message, and throws on any command it does not know. Made read-only,
 * it also throws on any command that would change the machine (a dry run's guard).
 */
public final class FakeWindows implements CommandRunner {

    static final String HKLM = "HKEY_LOCAL_MACHINE";

    /** Every command run, in order. */
    public final List<List<String>> calls = new ArrayList<>();
    /** KEY\NAME to {type, data}. */
    public final Map<String, String[]> registry = new LinkedHashMap<>();
    final Map<List<String>, Result> failures = new HashMap<>();
    /** The service's state and start type, {@link ScOutput} codes. */
    public int state = ScOutput.RUNNING;
    public int startType = ScOutput.AUTO_START;
    public boolean installed = true;
    /** What {@code w32tm /query /status /verbose} prints while the service runs. */
    public String status = Recorded.crlf("status-verbose-en-hold.txt");
    public String configuration = Recorded.crlf("configuration-verbose-high-accuracy.txt");
    /** What {@code w32tm /stripchart} prints, or null: then it is an unexpected command. */
    public String stripchart;
    /** What {@code whoami /groups} prints (a recording), or null: then it is an unexpected command. */
    public String whoami;
    /** Whether a command that changes the machine fails the test. */
    public boolean readOnly;

    /** A standalone Windows 10 as installed: Type NTP, time.windows.com, the default Config values. */
    public static FakeWindows standalone() {
        FakeWindows w = new FakeWindows();
        w.set(W32TimeCalls.PARAMETERS_KEY, "Type", "REG_SZ", "NTP");
        w.set(W32TimeCalls.PARAMETERS_KEY, "NtpServer", "REG_SZ", "time.windows.com,0x9");
        w.set(W32TimeCalls.CONFIG_KEY, "MinPollInterval", "REG_DWORD", "0xa");
        w.set(W32TimeCalls.CONFIG_KEY, "MaxPollInterval", "REG_DWORD", "0xf");
        w.set(W32TimeCalls.CONFIG_KEY, "MaxPosPhaseCorrection", "REG_DWORD", "0x2a300");
        w.set(W32TimeCalls.CONFIG_KEY, "MaxNegPhaseCorrection", "REG_DWORD", "0x2a300");
        return w;
    }

    public void set(String key, String name, String type, String data) {
        registry.put(key + "\\" + name, new String[] {type, data});
    }

    public String get(String key, String name) {
        String[] v = registry.get(key + "\\" + name);
        return v == null ? null : v[1];
    }

    /** Makes {@code argv} fail with exit {@code exit} and {@code output} on stdout. */
    public void fail(List<String> argv, int exit, String output) {
        failures.put(List.copyOf(argv), new Result(argv, exit, output, ""));
    }

    @Override
    public Result run(List<String> argv, Duration timeout) {
        calls.add(List.copyOf(argv));
        if (readOnly && changes(argv)) {
            throw new AssertionError("a read-only run must not change the machine, but ran " + argv);
        }
        Result failure = failures.get(argv);
        if (failure != null) {
            return failure;
        }
        String program = argv.get(0);
        if (program.equals("sc")) {
            return sc(argv);
        }
        if (program.equals("reg")) {
            return reg(argv);
        }
        if (program.equals("w32tm")) {
            return w32tm(argv);
        }
        if (argv.equals(List.of("whoami", "/groups")) && whoami != null) {
            return ok(argv, whoami);
        }
        throw new AssertionError("unexpected command " + argv);
    }

    /** Whether {@code argv} would change the machine: reg add/delete, sc config/start, w32tm /config or /resync. */
    public static boolean changes(List<String> argv) {
        String verb = argv.size() > 1 ? argv.get(1).toLowerCase(Locale.ROOT) : "";
        return switch (argv.get(0)) {
            case "reg" -> !verb.equals("query");
            case "sc" -> !verb.equals("query") && !verb.equals("qc");
            case "w32tm" -> verb.equals("/config") || verb.equals("/resync") || verb.equals("/register") || verb.equals("/unregister");
            case "whoami" -> false;
            default -> true;
        };
    }

    private Result sc(List<String> argv) {
        if (!installed) {
            return new Result(argv, ScOutput.NO_SUCH_SERVICE, Recorded.crlf("sc-not-installed.CONSTRUCTED.txt"), "");
        }
        if (argv.equals(W32TimeCalls.SC_QUERY)) {
            String file = state == ScOutput.RUNNING ? "sc-query-running.CONSTRUCTED.txt" : "sc-query-stopped.txt";
            return ok(argv, Recorded.crlf(file));
        }
        if (argv.equals(W32TimeCalls.SC_QC)) {
            String file = switch (startType) {
                case ScOutput.AUTO_START -> "sc-qc-delayed-auto.txt";
                case ScOutput.DEMAND_START -> "sc-qc-demand.CONSTRUCTED.txt";
                default -> "sc-qc-disabled.CONSTRUCTED.txt";
            };
            return ok(argv, Recorded.crlf(file));
        }
        if (argv.equals(W32TimeCalls.SC_AUTO_START)) {
            startType = ScOutput.AUTO_START;
            return ok(argv, "[SC] ChangeServiceConfig SUCCESS\r\n");
        }
        if (argv.equals(W32TimeCalls.SC_START)) {
            if (startType == ScOutput.DISABLED) {
                return new Result(argv, 1058, "[SC] StartService FAILED 1058:\r\n\r\nThe service cannot be started, either because it is"
                        + " disabled or because it has no enabled devices associated with it.\r\n", "");
            }
            state = ScOutput.RUNNING;
            return ok(argv, Recorded.crlf("sc-start-pending.txt"));
        }
        throw new AssertionError("unexpected command " + argv);
    }

    private Result reg(List<String> argv) {
        String key = argv.get(2);
        if (argv.get(1).equals("query") && argv.size() == 3) {
            StringBuilder out = new StringBuilder("\r\n" + full(key) + "\r\n");
            registry.forEach((id, v) -> {
                if (id.substring(0, id.lastIndexOf('\\')).equals(key)) {
                    out.append("    ").append(id.substring(id.lastIndexOf('\\') + 1)).append("    ").append(v[0]).append("    ")
                            .append(v[1]).append("\r\n");
                }
            });
            return ok(argv, out.append("\r\n").toString());
        }
        if (argv.get(1).equals("query") && argv.size() == 5 && argv.get(3).equals("/v")) {
            String[] v = registry.get(key + "\\" + argv.get(4));
            if (v == null) {
                return new Result(argv, 1, "", Recorded.crlf("reg-query-absent.CONSTRUCTED.txt"));
            }
            return ok(argv, "\r\n" + full(key) + "\r\n    " + argv.get(4) + "    " + v[0] + "    " + v[1] + "\r\n\r\n");
        }
        if (argv.get(1).equals("add") && argv.size() == 10 && argv.get(3).equals("/v") && argv.get(5).equals("/t")
                && argv.get(7).equals("/d") && argv.get(9).equals("/f")) {
            String data = argv.get(6).equals("REG_DWORD") ? "0x" + Long.toHexString(Long.decode(argv.get(8))) : argv.get(8);
            set(key, argv.get(4), argv.get(6), data);
            return ok(argv, "The operation completed successfully.\r\n\r\n");
        }
        if (argv.get(1).equals("delete") && argv.size() == 6 && argv.get(3).equals("/v") && argv.get(5).equals("/f")) {
            if (registry.remove(key + "\\" + argv.get(4)) == null) {
                return new Result(argv, 1, "", Recorded.crlf("reg-query-absent.CONSTRUCTED.txt"));
            }
            return ok(argv, "The operation completed successfully.\r\n\r\n");
        }
        throw new AssertionError("unexpected command " + argv);
    }

    private Result w32tm(List<String> argv) {
        boolean running = state == ScOutput.RUNNING;
        String notStarted = Recorded.crlf("status-not-started.txt");
        if (argv.equals(W32TimeCalls.CONFIGURATION)) {
            return running ? ok(argv, configuration) : new Result(argv, -2147023834, notStarted, "");
        }
        if (argv.equals(W32TimeCalls.STATUS)) {
            return running ? ok(argv, status) : new Result(argv, -2147023834, notStarted, "");
        }
        if (argv.size() == 5 && argv.get(1).equals("/config") && argv.get(2).startsWith("/manualpeerlist:")
                && argv.get(3).equals("/syncfromflags:manual") && argv.get(4).equals("/update")) {
            // w32tm writes the list and the type even when the service is stopped, then fails to notify it.
            set(W32TimeCalls.PARAMETERS_KEY, "NtpServer", "REG_SZ", argv.get(2).substring("/manualpeerlist:".length()));
            set(W32TimeCalls.PARAMETERS_KEY, "Type", "REG_SZ", "NTP");
            return running ? ok(argv, "The command completed successfully.\r\n") : new Result(argv, -2147023834, notStarted, "");
        }
        if (argv.size() == 5 && argv.get(1).equals("/stripchart") && stripchart != null) {
            return ok(argv, stripchart);
        }
        if (argv.equals(W32TimeCalls.UPDATE) || argv.equals(W32TimeCalls.RESYNC_SLEW)
                || argv.equals(W32TimeCalls.RESYNC_STEP)) {
            String done = argv.get(1).equals("/resync") ? "Sending resync command to local computer\r\nThe command completed successfully.\r\n"
                    : "The command completed successfully.\r\n";
            return running ? ok(argv, done) : new Result(argv, -2147023834, notStarted, "");
        }
        throw new AssertionError("unexpected command " + argv);
    }

    private static String full(String key) {
        return key.toUpperCase(Locale.ROOT).startsWith("HKLM\\") ? HKLM + key.substring(4) : key;
    }

    private static Result ok(List<String> argv, String out) {
        return new Result(argv, 0, out, "");
    }
}
