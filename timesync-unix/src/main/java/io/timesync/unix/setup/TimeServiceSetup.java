package io.timesync.unix.setup;

import io.timesync.correct.Plan;
import io.timesync.unix.host.InitSystem;
import io.timesync.unix.host.RootPath;
import io.timesync.unix.detect.TimeServiceDetector.Found;
import io.timesync.unix.detect.TimeServiceDetector.Service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Plans putting a time service in place: install it with the distribution's package manager when it
 * is missing (chrony unless another is asked for), stop any other that runs (two services must
 * never discipline one clock), then enable and start it with the init system. The other is stopped
 * after the install, so that it keeps the time meanwhile, except where the install removes it
 * ({@link PackageManager#replacesOtherTimeServices()}): then before, while its unit still exists. The package manager
 * comes from {@code /etc/os-release} ({@code ID}, then {@code ID_LIKE}) and the programs present;
 * package and unit names differ between distributions and come from one table, sourced in the
 * resources README. Planning changes nothing: the plan is data, printed by a dry run.
 */
public final class TimeServiceSetup {

    /** Setup cannot be planned: the message says why and what to do. */
    public static final class SetupException extends Exception {
        private static final long serialVersionUID = 1L;

        public SetupException(String message) {
            super(message);
        }
    }

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> BIN_DIRS = List.of("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/", "/usr/local/bin/",
            "/opt/homebrew/bin/");
    private static final List<String> UNIT_DIRS = List.of("/etc/systemd/system/", "/lib/systemd/system/",
            "/usr/lib/systemd/system/");

    /** Distribution ids (os-release ID or ID_LIKE) to package manager families. */
    private static final Map<String, List<PackageManager>> BY_ID = Map.ofEntries(
            Map.entry("debian", List.of(PackageManager.APT_GET)),
            Map.entry("ubuntu", List.of(PackageManager.APT_GET)),
            Map.entry("fedora", List.of(PackageManager.DNF, PackageManager.YUM)),
            Map.entry("rhel", List.of(PackageManager.DNF, PackageManager.YUM)),
            Map.entry("centos", List.of(PackageManager.DNF, PackageManager.YUM)),
            Map.entry("amzn", List.of(PackageManager.DNF, PackageManager.YUM)),
            Map.entry("suse", List.of(PackageManager.ZYPPER)),
            Map.entry("opensuse", List.of(PackageManager.ZYPPER)),
            Map.entry("sles", List.of(PackageManager.ZYPPER)),
            Map.entry("alpine", List.of(PackageManager.APK)),
            Map.entry("arch", List.of(PackageManager.PACMAN)));

    private final Path root;

    /** Plans for the system under {@code root} ("/" for this one). */
    public TimeServiceSetup(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The package manager of the system under the root: from its os-release and the programs present. */
    public Optional<PackageManager> packageManager(Optional<OsRelease> os) {
        return detect(os, this::hasProgram);
    }

    /**
     * The package manager for {@code os}: the first family of its {@code ID}, then of each {@code ID_LIKE},
     * whose program {@code present} accepts; without os-release (or with an unknown distribution), the
     * first program present in {@link PackageManager}'s order, brew last.
     */
    public static Optional<PackageManager> detect(Optional<OsRelease> os, Predicate<String> present) {
        if (os.isPresent()) {
            List<String> ids = new ArrayList<>();
            ids.add(os.get().id());
            ids.addAll(os.get().idLike());
            for (String id : ids) {
                String family = id.startsWith("opensuse") ? "opensuse" : id;
                for (PackageManager pm : BY_ID.getOrDefault(family, List.of())) {
                    if (present.test(pm.program())) {
                        return Optional.of(pm);
                    }
                }
            }
        }
        for (PackageManager pm : PackageManager.values()) {
            if (present.test(pm.program())) {
                return Optional.of(pm);
            }
        }
        return Optional.empty();
    }

    /** The init system under the root, as {@link InitSystem#detect} finds it. */
    public InitSystem init() {
        return InitSystem.detect(root);
    }

    /** The package that provides {@code service} for {@code pm}; empty where the distribution does not package it. */
    public static Optional<String> packageName(Service service, PackageManager pm) {
        return switch (service) {
            case CHRONY -> Optional.of("chrony");
            case NTPD -> pm == PackageManager.APT_GET || pm == PackageManager.DNF ? Optional.of("ntpsec") : Optional.empty();
            // Elsewhere timesyncd comes with systemd itself.
            case TIMESYNCD -> pm == PackageManager.APT_GET ? Optional.of("systemd-timesyncd") : Optional.empty();
            // Part of macOS, never a package.
            case TIMED -> Optional.empty();
        };
    }

    /** The service (unit) name of {@code service} as {@code pm}'s distribution packages it. */
    public static String unitName(Service service, PackageManager pm) {
        return switch (service) {
            case CHRONY -> pm == PackageManager.APT_GET ? "chrony" : "chronyd";
            case NTPD -> pm == PackageManager.APT_GET ? "ntpsec" : "ntpd";
            case TIMESYNCD -> "systemd-timesyncd";
            case TIMED -> "com.apple.timed";
        };
    }

    /**
     * The plan.
     *
     * @param requested the service asked for, or null for "whatever is there, else chrony"
     * @param found     what the detector found of each service
     * @param pm        the package manager, or null when none was found
     * @param init      the init system
     * @throws SetupException when the service cannot be installed here (no package manager, not packaged)
     */
    public Plan plan(Service requested, List<Found> found, PackageManager pm, InitSystem init) throws SetupException {
        // macOS timed counts as no service: TimeSync cannot drive it, so chrony is set up beside it.
        Optional<Found> active = found.stream().filter(Found::active).filter(f -> f.service() != Service.TIMED).findFirst();
        if (requested == null && active.isPresent()) {
            return new Plan(name(active.get().service()), List.of(), name(active.get().service()) + " is installed and active");
        }
        Service chosen = requested != null ? requested
                : found.stream().filter(Found::installed).map(Found::service).filter(s -> s != Service.TIMED).findFirst()
                        .orElse(Service.CHRONY);
        Found current = found.stream().filter(f -> f.service() == chosen).findFirst()
                .orElse(new Found(chosen, false, false, "not looked for", null));
        if (current.active()) {
            return new Plan(name(chosen), List.of(), name(chosen) + " is installed and active");
        }
        List<Plan.Step> steps = new ArrayList<>();
        List<Plan.Step> install = new ArrayList<>();
        String reason;
        if (!current.installed()) {
            if (pm == null) {
                throw new SetupException("no package manager found (apt-get, dnf, yum, zypper, apk, pacman, brew): install "
                        + packageName(chosen, PackageManager.APT_GET).orElseThrow() + " by hand, then run 'timesync setup' again to enable and start it");
            }
            String pkg = packageName(chosen, pm).orElseThrow(() -> new SetupException(name(chosen) + " is not packaged for "
                    + pm.program() + (chosen == Service.TIMESYNCD ? " (it comes with systemd there, and its unit is missing)"
                    : "") + ": use chrony ('timesync setup --service chrony')"));
            pm.refreshArgv().ifPresent(argv -> steps.add(new Plan.RunCommand(argv, INSTALL_TIMEOUT)));
            install.add(new Plan.RunCommand(pm.installArgv(List.of(pkg)), INSTALL_TIMEOUT));
            reason = "install " + pkg + " with " + pm.program() + ", then enable and start it";
        } else {
            reason = name(chosen) + " is installed but not running: enable and start it";
        }
        List<Plan.Step> stops = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        for (Found other : found) {
            if (other.active() && other.service() == Service.TIMED && chosen != Service.TIMED) {
                reason += "; then turn macOS timed off ('systemsetup -setusingnetworktime off') so that one service keeps time";
            } else if (other.active() && other.service() != chosen) {
                stops.addAll(stop(unit(other, pm), init));
                stopped.add(name(other.service()));
            }
        }
        // The old service keeps the time until the new one is installed, unless the install removes
        // it: then its unit is gone afterwards and stopping it must come first.
        boolean stopFirst = !install.isEmpty() && !stops.isEmpty() && pm.replacesOtherTimeServices();
        if (stopFirst) {
            reason += "; " + String.join(" and ", stopped) + " stopped first, as installing " + name(chosen) + " with "
                    + pm.program() + " removes " + (stopped.size() == 1 ? "it" : "them") + " (the packages conflict)";
            steps.addAll(stops);
            steps.addAll(install);
        } else {
            steps.addAll(install);
            steps.addAll(stops);
        }
        List<Plan.Step> start = start(unit(current, pm), init);
        if (start.isEmpty()) {
            if (steps.isEmpty()) {
                throw new SetupException(name(chosen) + " is installed but not running, and there is no init system TimeSync"
                        + " can start it with here (systemd, or OpenRC outside --root): start it the way this system"
                        + " starts daemons");
            }
            reason += "; no init system found to start it with: start it the way this system starts daemons";
        }
        steps.addAll(start);
        return new Plan(name(chosen), steps, reason);
    }

    /**
     * The unit of an installed service as its unit file under the root names it; for one about to be
     * installed, as the distribution names it.
     */
    String unit(Found found, PackageManager pm) {
        Service service = found.service();
        if (!found.installed() && pm != null) {
            return unitName(service, pm);
        }
        List<String> candidates = switch (service) {
            case CHRONY -> List.of("chrony", "chronyd");
            case NTPD -> List.of("ntpsec", "ntpd", "ntp");
            case TIMESYNCD -> List.of("systemd-timesyncd");
            case TIMED -> List.of("com.apple.timed");
        };
        for (String candidate : candidates) {
            for (String dir : UNIT_DIRS) {
                if (Files.isRegularFile(RootPath.under(root, dir + candidate + ".service"))) {
                    return candidate;
                }
            }
            if (Files.isRegularFile(RootPath.under(root, "/etc/init.d/" + candidate)) && hasProgram("rc-service")) {
                return candidate;
            }
        }
        return pm == null ? candidates.get(0) : unitName(service, pm);
    }

    private List<Plan.Step> start(String unit, InitSystem init) {
        boolean real = RootPath.isRealSystem(root);
        return switch (init) {
            case SYSTEMD -> real
                    ? List.of(new Plan.RunCommand(List.of("systemctl", "enable", "--now", unit), SERVICE_TIMEOUT))
                    : List.of(new Plan.RunCommand(List.of("systemctl", "--root=" + root, "enable", unit), SERVICE_TIMEOUT));
            case OPENRC -> real
                    ? List.of(new Plan.RunCommand(List.of("rc-update", "add", unit, "default"), SERVICE_TIMEOUT),
                    new Plan.RunCommand(List.of("rc-service", unit, "start"), SERVICE_TIMEOUT))
                    : List.of();
            case NONE -> List.of();
        };
    }

    private List<Plan.Step> stop(String unit, InitSystem init) {
        boolean real = RootPath.isRealSystem(root);
        return switch (init) {
            case SYSTEMD -> real
                    ? List.of(new Plan.RunCommand(List.of("systemctl", "disable", "--now", unit), SERVICE_TIMEOUT))
                    : List.of(new Plan.RunCommand(List.of("systemctl", "--root=" + root, "disable", unit), SERVICE_TIMEOUT));
            case OPENRC -> real
                    ? List.of(new Plan.RunCommand(List.of("rc-service", unit, "stop"), SERVICE_TIMEOUT),
                    new Plan.RunCommand(List.of("rc-update", "del", unit, "default"), SERVICE_TIMEOUT))
                    : List.of();
            case NONE -> List.of();
        };
    }

    private boolean hasProgram(String program) {
        return BIN_DIRS.stream().anyMatch(dir -> Files.isRegularFile(RootPath.under(root, dir + program)));
    }

    /** The service's name in messages and plans: chrony, ntpsec, timesyncd (as {@code --service} takes them). */
    public static String name(Service service) {
        return switch (service) {
            case CHRONY -> "chrony";
            case NTPD -> "ntpsec";
            case TIMESYNCD -> "timesyncd";
            case TIMED -> "timed";
        };
    }

    /** {@code --service}'s value as a service. */
    public static Optional<Service> parseName(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "chrony", "chronyd" -> Optional.of(Service.CHRONY);
            case "ntpsec", "ntpd", "ntp" -> Optional.of(Service.NTPD);
            case "timesyncd", "systemd-timesyncd" -> Optional.of(Service.TIMESYNCD);
            default -> Optional.empty();
        };
    }
}
