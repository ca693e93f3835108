package io.timesync.unix.service;

import io.timesync.text.DurationText;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The files that run TimeSync periodically: a systemd service and timer, a cron entry, a launchd
 * job. Pure: text in, text out. The command is an argument list of absolute paths and fixed words,
 * checked so that it means the same to systemd, to cron's shell and to launchd.
 */
public final class ServiceFiles {

    /** The unit and job name. */
    public static final String NAME = "timesync";

    // Absolute paths and plain words: nothing a shell, systemd or XML would read differently.
    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_./=+:@-]+");

    private ServiceFiles() {
    }

    /**
     * Checks a command line for the files.
     *
     * @throws IllegalArgumentException naming the argument that cannot go into them
     */
    public static List<String> checkCommand(List<String> argv) {
        if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
            throw new IllegalArgumentException("the program must be an absolute path, got " + argv);
        }
        for (String word : argv) {
            if (!SAFE_WORD.matcher(word).matches()) {
                throw new IllegalArgumentException("'" + word.replaceAll("[^\\x20-\\x7E]", "?") + "' cannot go into a service"
                        + " file: use paths without spaces, quotes or shell characters (or --exec with such a path)");
            }
        }
        return List.copyOf(argv);
    }

    /** What {@code service install} writes at the top of its files. */
    public static final String INSTALLED = "# Installed by TimeSync ('timesync service uninstall' removes it).";

    /** The systemd service: one {@code sync} run, after the network and the time service. */
    public static String systemdService(List<String> command) {
        return systemdService(command, INSTALLED);
    }

    /** The systemd service under another first comment line (the packages' units say where they come from). */
    public static String systemdService(List<String> command, String comment) {
        return systemdService(command, comment, List.of());
    }

    /**
     * The systemd service, confined, with {@code extraWritable} writable beside the time services'
     * usual configuration directories (see {@link #confinement}).
     */
    public static String systemdService(List<String> command, String comment, List<String> extraWritable) {
        return unit(comment, "TimeSync: select time servers and correct the clock through the time service") + String.join("\n",
                "[Service]",
                "Type=oneshot",
                "ExecStart=" + String.join(" ", checkCommand(command)),
                "Nice=5",
                confinement(extraWritable),
                "")
                + "\n";
    }

    /**
     * The directories whose files TimeSync changes for each time service it drives: chrony's
     * configuration and source directories (Debian, Fedora, openSUSE, the DHCP sources), NTPsec's,
     * timesyncd's drop-ins, and chrony's run directory, where chronyc binds its own socket to talk to
     * chronyd. A missing one is skipped ({@code -}).
     */
    public static final List<String> TIME_SERVICE_DIRECTORIES = List.of("/etc/chrony", "/etc/chrony.d", "/etc/ntpsec",
            "/etc/systemd/timesyncd.conf.d", "/run/chrony", "/run/chrony-dhcp");

    /**
     * The sandbox of both services, as tight as a JVM allows: the system read-only but for the state,
     * log and cache directories and the time services' configuration ({@link #TIME_SERVICE_DIRECTORIES}
     * and {@code extraWritable}); no home directories, private /tmp and devices, no new privileges;
     * capabilities limited to what writing another service's files keeps (owner and mode); only
     * local and Internet sockets; the system calls of an ordinary service. Not
     * {@code MemoryDenyWriteExecute}: the JIT writes the code it runs. The clock is protected too:
     * TimeSync corrects it only through the time service.
     */
    static String confinement(List<String> extraWritable) {
        StringBuilder writable = new StringBuilder();
        for (String dir : TIME_SERVICE_DIRECTORIES) {
            writable.append(writable.length() == 0 ? "" : " ").append('-').append(dir);
        }
        for (String dir : extraWritable) {
            if (!dir.startsWith("/") || !SAFE_WORD.matcher(dir).matches()) {
                throw new IllegalArgumentException("'" + dir.replaceAll("[^\\x20-\\x7E]", "?")
                        + "' cannot be a writable path of the service: give an absolute path without spaces or quotes");
            }
            writable.append(" -").append(dir);
        }
        return String.join("\n",
                "StateDirectory=timesync",
                "LogsDirectory=timesync",
                "CacheDirectory=timesync",
                "Environment=TIMESYNC_CACHE_DIR=%C/timesync",
                "UMask=0022",
                "ProtectSystem=strict",
                "ReadWritePaths=" + writable,
                "ProtectHome=yes",
                "PrivateTmp=yes",
                "PrivateDevices=yes",
                "PrivateMounts=yes",
                "PrivateIPC=yes",
                "NoNewPrivileges=yes",
                "CapabilityBoundingSet=CAP_CHOWN CAP_FOWNER CAP_DAC_OVERRIDE",
                "ProtectClock=yes",
                "ProtectKernelTunables=yes",
                "ProtectKernelModules=yes",
                "ProtectKernelLogs=yes",
                "ProtectControlGroups=yes",
                "ProtectHostname=yes",
                "ProtectProc=invisible",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
                "RestrictNamespaces=yes",
                "RestrictRealtime=yes",
                "RestrictSUIDSGID=yes",
                "LockPersonality=yes",
                "KeyringMode=private",
                "DevicePolicy=closed",
                "SystemCallArchitectures=native",
                "SystemCallFilter=@system-service",
                "SystemCallFilter=~@clock @cpu-emulation @debug @module @mount @obsolete @raw-io @reboot @swap",
                "SystemCallErrorNumber=EPERM");
    }

    /**
     * The systemd service for {@code timesync daemon}: long-running, restarted if it fails, stopped
     * with SIGTERM, which it ends within a second with exit status 0. 143 counts as clean too: a SIGTERM
     * that arrives while the JVM is still starting, or a second one, ends it the JVM's way.
     */
    public static String systemdDaemon(List<String> command) {
        return systemdDaemon(command, INSTALLED);
    }

    /** The daemon's systemd service under another first comment line. */
    public static String systemdDaemon(List<String> command, String comment) {
        return systemdDaemon(command, comment, List.of());
    }

    /** The daemon's systemd service, confined as {@link #systemdService(List, String, List)} is. */
    public static String systemdDaemon(List<String> command, String comment, List<String> extraWritable) {
        return unit(comment, "TimeSync agent: measures the clock and corrects it through the time service") + String.join("\n",
                "[Service]",
                "Type=exec",
                "ExecStart=" + String.join(" ", checkCommand(command)),
                "Restart=on-failure",
                "RestartSec=10s",
                "SuccessExitStatus=143",
                "TimeoutStopSec=10s",
                "Nice=-5",
                confinement(extraWritable),
                "",
                "[Install]",
                "WantedBy=multi-user.target",
                "")
                + "\n";
    }

    // Both services start after the network and after the time service they drive.
    private static String unit(String comment, String description) {
        return String.join("\n",
                comment,
                "[Unit]",
                "Description=" + description,
                "Wants=network-online.target",
                "After=network-online.target chrony.service ntpsec.service ntp.service systemd-timesyncd.service",
                "",
                "");
    }

    /**
     * The systemd timer: a run {@code interval} after the last one ended, delayed by a new random
     * share of a further interval each time. A fleet booted in the same second so spreads over a whole
     * interval at once (a smaller delay leaves most of its runs bunched: timesync-bench's
     * fleet-herd.sh), and counting from the end of a run keeps a public server's polls further apart
     * than its burst plus the interval.
     */
    public static String systemdTimer(Duration interval) {
        return systemdTimer(interval, INSTALLED);
    }

    /** The systemd timer under another first comment line. */
    public static String systemdTimer(Duration interval, String comment) {
        long seconds = checkInterval(interval);
        return String.join("\n",
                comment,
                "[Unit]",
                "Description=TimeSync every " + seconds + " s",
                "",
                "[Timer]",
                "OnBootSec=" + Math.min(seconds, 60) + "s",
                "OnUnitInactiveSec=" + seconds + "s",
                "RandomizedDelaySec=" + seconds + "s",
                "AccuracySec=1s",
                "",
                "[Install]",
                "WantedBy=timers.target",
                "")
                + "\n";
    }

    /**
     * A cron.d entry running as root every {@code interval} in whole minutes, starting at
     * {@code minuteOffset} past the hour so that a fleet spreads out (cron has no random delay). Never
     * more often than every 2 minutes: a run a minute would poll public servers faster than every 64 s,
     * so shorter intervals are raised to 2 minutes.
     */
    public static String cronEntry(List<String> command, Duration interval, int minuteOffset) {
        long minutes = Math.max(2, checkInterval(interval) / 60);
        String minute;
        if (minutes < 60 && 60 % minutes == 0) {
            StringBuilder list = new StringBuilder();
            for (long m = minuteOffset % minutes; m < 60; m += minutes) {
                list.append(list.length() == 0 ? "" : ",").append(m);
            }
            minute = list.toString();
        } else {
            throw new IllegalArgumentException("cron runs every N minutes only where N divides an hour (2, 3, 4, 5, 6,"
                    + " 10, 12, 15, 20, 30): use such an interval, or systemd");
        }
        return "# Installed by TimeSync ('timesync service uninstall' removes it).\n"
                + "SHELL=/bin/sh\nPATH=/usr/sbin:/usr/bin:/sbin:/bin\n"
                + minute + " * * * * root " + String.join(" ", checkCommand(command)) + "\n";
    }

    /** A launchd daemon running the command every {@code interval} (macOS). */
    public static String launchdPlist(List<String> command, Duration interval) {
        long seconds = checkInterval(interval);
        StringBuilder args = new StringBuilder();
        for (String word : checkCommand(command)) {
            args.append("    <string>").append(word).append("</string>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<!-- Installed by TimeSync ('timesync service uninstall' removes it). -->\n"
                + "<plist version=\"1.0\">\n<dict>\n"
                + "  <key>Label</key>\n  <string>io.timesync.sync</string>\n"
                + "  <key>ProgramArguments</key>\n  <array>\n" + args + "  </array>\n"
                + "  <key>StartInterval</key>\n  <integer>" + seconds + "</integer>\n"
                + "  <key>RunAtLoad</key>\n  <true/>\n"
                + "</dict>\n</plist>\n";
    }

    /** A launchd daemon keeping {@code timesync daemon} running (macOS). */
    public static String launchdDaemonPlist(List<String> command) {
        StringBuilder args = new StringBuilder();
        for (String word : checkCommand(command)) {
            args.append("    <string>").append(word).append("</string>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<!-- Installed by TimeSync ('timesync service uninstall' removes it). -->\n"
                + "<plist version=\"1.0\">\n<dict>\n"
                + "  <key>Label</key>\n  <string>io.timesync.sync</string>\n"
                + "  <key>ProgramArguments</key>\n  <array>\n" + args + "  </array>\n"
                + "  <key>KeepAlive</key>\n  <true/>\n"
                + "  <key>RunAtLoad</key>\n  <true/>\n"
                + "</dict>\n</plist>\n";
    }

    private static long checkInterval(Duration interval) {
        if (interval.compareTo(Duration.ofSeconds(10)) < 0 || interval.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the interval must be from 10s to 1 day, got " + DurationText.of(interval));
        }
        return interval.toSeconds();
    }
}
