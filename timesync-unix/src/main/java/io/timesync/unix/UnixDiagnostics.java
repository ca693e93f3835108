package io.timesync.unix;

import io.timesync.unix.detect.TimeServiceDetector;
import io.timesync.unix.host.InitSystem;
import io.timesync.unix.host.RootPath;
import io.timesync.correct.CommandRunner;
import io.timesync.platform.Diagnosis;
import io.timesync.platform.Host;
import io.timesync.platform.ServiceDiagnosis;
import io.timesync.unix.detect.TimeServiceDetector.Found;
import io.timesync.unix.chrony.ChronyTracking;
import io.timesync.unix.timesyncd.TimesyncProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The doctor's checks of the Unix time services: which one is installed and runs, and whether the clock is synchronised. */
public final class UnixDiagnostics {

    private static final Logger log = LoggerFactory.getLogger(UnixDiagnostics.class);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(5);

    private UnixDiagnostics() {
    }

    /** The checks of the services under {@code root}, their tools run through the host's runner. */
    static ServiceDiagnosis diagnose(Host host, Path root) throws InterruptedException {
        List<Found> services = new TimeServiceDetector(root, host.runner(), TOOL_TIMEOUT).detectAll();
        Optional<Found> running = services.stream().filter(Found::active).findFirst();
        Diagnosis synchronised = synchronised(running, RootPath.isRealSystem(root) && InitSystem.detect(root) == InitSystem.SYSTEMD
                ? timedatectl(host) : null, InitSystem.describe(root));
        return new ServiceDiagnosis(List.of(timeService(services, InitSystem.detect(root)), synchronised),
                running.map(Found::tracking).orElse(null));
    }

    /** {@code timedatectl show -p NTPSynchronized}, or null when it does not answer (no systemd). */
    private static String timedatectl(Host host) throws InterruptedException {
        try {
            CommandRunner.Result result = host.runner().run(List.of("timedatectl", "show", "-p", "NTPSynchronized"), TOOL_TIMEOUT);
            return result.succeeded() ? result.stdout() : null;
        } catch (IOException e) {
            log.debug("timedatectl did not run: {}", e.toString());
            return null;
        }
    }

    /**
     * @param all  what the detector found of each service
     * @param init the init system, which says how a stopped service is started
     */
    public static Diagnosis timeService(List<Found> all, InitSystem init) {
        String title = "time service installed and active";
        Optional<Found> active = all.stream().filter(Found::active).findFirst();
        if (active.isPresent()) {
            return Diagnosis.pass("time-service", title, name(active.get()) + " is active: " + active.get().detail());
        }
        Optional<Found> installed = all.stream().filter(Found::installed).findFirst();
        if (installed.isPresent()) {
            String unit = unit(installed.get());
            String fix = switch (init) {
                case SYSTEMD -> "start it: 'timesync setup' enables and starts it (or 'systemctl enable --now " + unit + "')";
                case OPENRC -> "start it: 'timesync setup' enables and starts it (or 'rc-update add " + unit
                        + " default' and 'rc-service " + unit + " start')";
                case NONE -> "start it the way this system starts daemons: no init system TimeSync can drive runs here"
                        + " (PID 1 is neither systemd nor OpenRC)";
            };
            return Diagnosis.fail("time-service", title, name(installed.get()) + " is installed but not running: "
                    + installed.get().detail(), fix);
        }
        return Diagnosis.fail("time-service", title, "no time service found (chrony, ntpd/NTPsec or systemd-timesyncd):"
                + " TimeSync corrects the clock through one", "install one: 'timesync setup' installs chrony with the"
                + " distribution's package manager ('--dry-run' shows how)");
    }

    /**
     * @param service     the service that runs, if any
     * @param timedatectl the output of {@code timedatectl show -p NTPSynchronized}, or null when it did not answer
     *                    or was not asked (no systemd runs)
     * @param init        the init system, as {@link InitSystem#describe} names it
     */
    public static Diagnosis synchronised(Optional<Found> service, String timedatectl, String init) {
        String title = "clock synchronised (as the OS reports it)";
        ChronyTracking tracking = service.map(Found::tracking).orElse(null);
        if (tracking != null) {
            if (tracking.synchronised()) {
                return Diagnosis.pass("synchronised", title, "chronyd is synchronised to "
                        + (tracking.referenceName().isEmpty() ? "its reference" : tracking.referenceName())
                        + " at stratum " + tracking.stratum());
            }
            return Diagnosis.warn("synchronised", title, "chronyd is running but not synchronised (leap status: not"
                    + " synchronised)", "see which sources it has and why none is usable: 'chronyc sources -v'; the dns and ntp"
                    + " checks below show whether servers answer");
        }
        if (timedatectl != null) {
            String value;
            try {
                value = TimesyncProperties.parse(timedatectl).values().get("NTPSynchronized");
            } catch (IllegalArgumentException e) {
                value = null;
            }
            if ("yes".equals(value)) {
                return Diagnosis.pass("synchronised", title, "timedatectl: NTPSynchronized=yes (the kernel's clock is disciplined)");
            }
            if ("no".equals(value)) {
                return Diagnosis.warn("synchronised", title, "timedatectl: NTPSynchronized=no",
                        "make sure a time service runs and reaches its servers (see the time-service and ntp checks);"
                                + " 'timedatectl timesync-status' shows systemd-timesyncd's view");
            }
        }
        String why = init.equals("systemd") ? "timedatectl did not report NTPSynchronized"
                : "there is no timedatectl to ask without systemd (init: " + init + ")";
        return Diagnosis.warn("synchronised", title, "cannot tell: no chronyd answered and " + why,
                "start the time service ('timesync setup'), then run doctor again");
    }

    private static String name(Found found) {
        return switch (found.service()) {
            case CHRONY -> "chrony";
            case NTPD -> "ntpd";
            case TIMESYNCD -> "systemd-timesyncd";
            case TIMED -> "macOS timed";
        };
    }

    private static String unit(Found found) {
        return switch (found.service()) {
            case CHRONY -> "chrony";
            case NTPD -> "ntpsec";
            case TIMESYNCD -> "systemd-timesyncd";
            case TIMED -> "com.apple.timed";
        };
    }
}
