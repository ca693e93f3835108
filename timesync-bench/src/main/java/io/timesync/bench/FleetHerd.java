package io.timesync.bench;

import io.timesync.agent.CycleKind;
import io.timesync.agent.Schedule;
import io.timesync.time.Mode;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.probe.Politeness;
import io.timesync.unix.service.ServiceFiles;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A fleet that boots in the same second, simulated over the real {@link Schedule} (the daemon,
 * {@code timesync-agent.service}) and over the packaged {@code timesync.timer} as
 * {@link ServiceFiles#systemdTimer} writes it (periodic {@code timesync sync}): how many NTP requests
 * per second reach one pool name, in the first 10 minutes and in steady state around the first
 * re-optimisation, and how close together one agent polls one server.
 *
 * <p>The model: the pool name resolves to {@link #ADDRESSES} addresses, all of them candidates and
 * (with the default selection of up to 4) all selected; every network cycle sends each address the
 * pool's polite burst (4 requests, 2 s apart, {@link Politeness}) and ends when the last is answered.
 * Service cycles read the local time service and send nothing. Times are seconds from the boot.
 *
 * <p>Prints a compact histogram (per 10 s bucket: mean and highest requests per second) and, last,
 * {@code peak/mean=X}: the busiest second of either window over the mean second of steady state, for
 * the worse of the two fleets. Exits 1 when that is above {@link #MAX_PEAK_OVER_MEAN} or when an agent
 * polls a server again sooner than the pool's 64 s.
 */
public final class FleetHerd {

    /** Addresses one pool name resolves to. */
    static final int ADDRESSES = 4;
    /** The busiest second may carry at most this many times the mean second's requests. */
    static final double MAX_PEAK_OVER_MEAN = 2.0;
    static final int FIRST_WINDOW_SECONDS = 600;
    /** Steady state: 10 minutes either side of the first re-optimisation (the daemon's default 6 h). */
    static final Duration OPTIMIZE_INTERVAL = Duration.ofHours(6);
    static final int STEADY_FROM_SECONDS = (int) OPTIMIZE_INTERVAL.toSeconds() - 600;
    static final int STEADY_SECONDS = 1200;
    static final int BUCKET_SECONDS = 10;
    private static final double NANOS = 1e9;

    /** What one fleet did. */
    static final class Load {
        final String name;
        final long[] first = new long[FIRST_WINDOW_SECONDS];
        final long[] steady = new long[STEADY_SECONDS];
        double shortestGap = Double.MAX_VALUE;
        double gapSum;
        long gaps;

        Load(String name) {
            this.name = name;
        }

        void request(double at) {
            if (at >= 0 && at < FIRST_WINDOW_SECONDS) {
                first[(int) at]++;
            } else if (at >= STEADY_FROM_SECONDS && at < STEADY_FROM_SECONDS + STEADY_SECONDS) {
                steady[(int) at - STEADY_FROM_SECONDS]++;
            }
        }

        /** A poll of every address, {@code sinceLast} after the agent's previous one (NaN for the first). */
        void poll(double at, double sinceLast, ProbeOptions burst) {
            for (int i = 0; i < burst.samples(); i++) {
                double t = at + i * burst.spacing().toNanos() / NANOS;
                for (int a = 0; a < ADDRESSES; a++) {
                    request(t);
                }
            }
            if (!Double.isNaN(sinceLast)) {
                shortestGap = Math.min(shortestGap, sinceLast);
                gapSum += sinceLast;
                gaps++;
            }
        }

        long peak() {
            long peak = 0;
            for (long c : first) {
                peak = Math.max(peak, c);
            }
            for (long c : steady) {
                peak = Math.max(peak, c);
            }
            return peak;
        }

        double steadyMean() {
            long sum = 0;
            for (long c : steady) {
                sum += c;
            }
            return (double) sum / steady.length;
        }

        double peakOverMean() {
            return peak() / steadyMean();
        }
    }

    private FleetHerd() {
    }

    /** The pool's polite burst: the default probe options as {@link Politeness} clamps them for a pool name. */
    static ProbeOptions burst() {
        return Politeness.forServers(List.of(ServerAddress.parse("pool.ntp.org", ServerAddress.NTP_PORT)),
                ProbeOptions.defaults());
    }

    /** How long a network cycle takes: the burst, the last reply a round trip after the last request. */
    static double cycleSeconds(ProbeOptions burst) {
        return (burst.samples() - 1) * burst.spacing().toNanos() / NANOS + 0.05;
    }

    /** {@code agents} daemons in fast mode with public servers, started at random points of the same second. */
    static Load daemons(int agents, long seed) {
        Load load = new Load("daemon (timesync-agent.service, fast mode)");
        ProbeOptions burst = burst();
        double cycle = cycleSeconds(burst);
        long horizon = (long) ((STEADY_FROM_SECONDS + STEADY_SECONDS) * NANOS);
        Schedule.Settings settings = Schedule.Settings.forMode(Mode.FAST, false, OPTIMIZE_INTERVAL);
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int n = 0; n < agents; n++) {
            SplittableRandom random = seeds.split();
            long start = (long) (random.nextDouble() * NANOS);
            Schedule schedule = new Schedule(settings, true, random, start);
            double last = Double.NaN;
            for (Schedule.Next next = schedule.next(); next.atMonotonic() < horizon; next = schedule.next()) {
                if (next.kind() == CycleKind.SERVICE) {
                    schedule.completed(CycleKind.SERVICE, true, next.atMonotonic());
                    continue;
                }
                double at = next.atMonotonic() / NANOS;
                load.poll(at, at - last, burst);
                last = at;
                schedule.completed(next.kind(), true, next.atMonotonic() + (long) (cycle * NANOS));
            }
        }
        return load;
    }

    /**
     * {@code agents} machines running the packaged timer: the first run {@code OnBootSec} after boot,
     * each next one {@code OnUnitInactiveSec} after the last ended, each delayed by a new random share
     * of {@code RandomizedDelaySec} (systemd's default, without {@code FixedRandomDelay}).
     */
    static Load timers(int agents, long seed) {
        String unit = ServiceFiles.systemdTimer(Mode.FAST.interval());
        double onBoot = seconds(unit, "OnBootSec");
        double every = seconds(unit, "OnUnitInactiveSec");
        double delay = seconds(unit, "RandomizedDelaySec");
        Load load = new Load(String.format(Locale.ROOT, "timer (timesync.timer: OnBootSec=%.0fs OnUnitInactiveSec=%.0fs"
                + " RandomizedDelaySec=%.0fs, each run a 'timesync sync')", onBoot, every, delay));
        ProbeOptions burst = burst();
        double run = cycleSeconds(burst);
        double end = STEADY_FROM_SECONDS + STEADY_SECONDS;
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int n = 0; n < agents; n++) {
            SplittableRandom random = seeds.split();
            double boot = random.nextDouble();
            double last = Double.NaN;
            for (double at = boot + onBoot + random.nextDouble() * delay; at < end; at += run + every + random.nextDouble() * delay) {
                load.poll(at, at - last, burst);
                last = at;
            }
        }
        return load;
    }

    /** A {@code Key=Ns} setting of a unit. */
    static double seconds(String unit, String key) {
        for (String line : unit.split("\n")) {
            if (line.startsWith(key + "=") && line.endsWith("s")) {
                return Double.parseDouble(line.substring(key.length() + 1, line.length() - 1));
            }
        }
        throw new IllegalArgumentException("the unit has no " + key + "=...s line:\n" + unit);
    }

    static void histogram(PrintStream out, String title, long[] perSecond, int fromSecond) {
        out.println(title);
        long max = 1;
        for (long c : perSecond) {
            max = Math.max(max, c);
        }
        for (int b = 0; b < perSecond.length; b += BUCKET_SECONDS) {
            long sum = 0;
            long top = 0;
            for (int s = b; s < b + BUCKET_SECONDS && s < perSecond.length; s++) {
                sum += perSecond[s];
                top = Math.max(top, perSecond[s]);
            }
            double mean = (double) sum / BUCKET_SECONDS;
            out.printf(Locale.ROOT, "  %6d s  mean %7.1f/s  max %6d/s  %s%n", fromSecond + b, mean, top,
                    "#".repeat((int) Math.round(40.0 * mean / max)));
        }
    }

    static void report(PrintStream out, Load load) {
        out.println("== " + load.name);
        histogram(out, "requests per second, first 10 minutes after boot (per 10 s: mean, busiest second)", load.first, 0);
        histogram(out, "requests per second, steady state around the re-optimisation at "
                + OPTIMIZE_INTERVAL.toHours() + " h", load.steady, STEADY_FROM_SECONDS);
        out.printf(Locale.ROOT, "busiest second %d, steady-state mean %.1f/s: peak/mean %.2f%n", load.peak(),
                load.steadyMean(), load.peakOverMean());
        out.printf(Locale.ROOT, "one agent, one server: polls (a burst of %d requests) at least %.1f s apart, %.1f s on"
                + " average (pool floor %d s)%n", burst().samples(), load.shortestGap, load.gapSum / load.gaps,
                Schedule.PUBLIC_POLL_FLOOR.toSeconds());
    }

    /** {@code [agents [seed]]}: 10,000 agents and seed 1 by default. */
    public static void main(String[] args) {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "%d agents booted in the same second; one pool name of %d addresses, all selected;"
                + " seed %d%n", agents, ADDRESSES, seed);
        Load daemons = daemons(agents, seed);
        Load timers = timers(agents, seed);
        report(out, daemons);
        report(out, timers);
        boolean polite = true;
        for (Load l : List.of(daemons, timers)) {
            if (l.shortestGap < Schedule.PUBLIC_POLL_FLOOR.toSeconds()) {
                out.printf(Locale.ROOT, "FAIL: %s polls a server again after %.1f s, sooner than %d s%n", l.name,
                        l.shortestGap, Schedule.PUBLIC_POLL_FLOOR.toSeconds());
                polite = false;
            }
        }
        double worst = Math.max(daemons.peakOverMean(), timers.peakOverMean());
        out.printf(Locale.ROOT, "peak/mean=%.2f%n", worst);
        out.flush();
        if (!polite || worst > MAX_PEAK_OVER_MEAN) {
            System.exit(1);
        }
    }
}
