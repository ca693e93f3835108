package io.timesync.agent;

import io.timesync.time.Mode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {

    static final long S = 1_000_000_000L;
    // nextDouble() of these is 0 and just below 1: the shortest and the longest jitter.
    static final RandomGenerator LEAST = () -> 0L;
    static final RandomGenerator MOST = () -> -1L;

    static Schedule.Settings settings(Mode mode, boolean own) {
        return Schedule.Settings.forMode(mode, own, Duration.ofHours(6)).withStartJitter(Duration.ZERO);
    }

    /** Runs the schedule for {@code horizon} seconds with every cycle usable; returns "KIND@second" for each. */
    static List<String> run(Schedule schedule, long horizonSeconds) {
        List<String> seen = new ArrayList<>();
        for (Schedule.Next n = schedule.next(); n.atMonotonic() <= horizonSeconds * S; n = schedule.next()) {
            seen.add(n.kind() + "@" + n.atMonotonic() / S);
            schedule.completed(n.kind(), true, n.atMonotonic());
        }
        return seen;
    }

    @Test
    void fastPollsTheSelectionNoFasterThanThePublicFloorAndReadsTheServiceEachMinute() {
        Schedule s = new Schedule(settings(Mode.FAST, false), true, LEAST, 0);
        assertThat(run(s, 200)).containsExactly("OPTIMIZE@0", "SERVICE@60", "MEASURE@64", "SERVICE@124", "MEASURE@128",
                "SERVICE@188", "MEASURE@192");
    }

    static List<String> network(List<String> seen) {
        return seen.stream().filter(k -> !k.startsWith("SERVICE")).toList();
    }

    @Test
    void jitterOnlyEverLengthensANetworkInterval() {
        Schedule s = new Schedule(settings(Mode.FAST, false), false, MOST, 0);
        assertThat(network(run(s, 150))).containsExactly("OPTIMIZE@0", "MEASURE@70", "MEASURE@140");
    }

    @Test
    void ultrafastWithoutAServiceStillChecksEverySecondButPollsPublicServersAtTheFloor() {
        Schedule s = new Schedule(settings(Mode.ULTRAFAST, false), false, LEAST, 0);
        List<String> seen = run(s, 130);
        // The checks evaluate the last measurement again (Cycle): no network between the polls.
        assertThat(seen.stream().filter(k -> k.startsWith("SERVICE"))).hasSize(128);
        assertThat(network(seen)).containsExactly("OPTIMIZE@0", "MEASURE@64", "MEASURE@128");
    }

    @Test
    void withoutAServiceTheChecksPauseWhileNoServerIsUsable() {
        Schedule s = new Schedule(settings(Mode.ULTRAFAST, false), false, LEAST, 0);
        s.completed(CycleKind.OPTIMIZE, false, 0);
        assertThat(s.next()).isEqualTo(new Schedule.Next(CycleKind.OPTIMIZE, 64 * S));
        s.completed(CycleKind.OPTIMIZE, true, 64 * S);
        assertThat(s.next()).isEqualTo(new Schedule.Next(CycleKind.SERVICE, 65 * S));
        s.completed(CycleKind.SERVICE, true, 65 * S);
        s.completed(CycleKind.MEASURE, false, 128 * S);
        assertThat(s.next().kind()).isEqualTo(CycleKind.OPTIMIZE);

        // A service has its own view of the clock during the outage: it is still read.
        Schedule read = new Schedule(settings(Mode.ULTRAFAST, false), true, LEAST, 0);
        read.completed(CycleKind.OPTIMIZE, false, 0);
        assertThat(read.next()).isEqualTo(new Schedule.Next(CycleKind.SERVICE, S));
    }

    @Test
    void ultrafastReadsTheServiceEverySecondButPollsPublicServersAtTheFloor() {
        Schedule s = new Schedule(settings(Mode.ULTRAFAST, false), true, LEAST, 0);
        List<String> seen = run(s, 130);
        assertThat(seen.stream().filter(k -> k.startsWith("SERVICE"))).hasSize(128);
        assertThat(seen.stream().filter(k -> k.startsWith("MEASURE"))).containsExactly("MEASURE@64", "MEASURE@128");
    }

    @Test
    void ownServersMayBePolledAtTheModesInterval() {
        Schedule s = new Schedule(settings(Mode.ULTRAFAST, true), true, LEAST, 0);
        assertThat(run(s, 3)).containsExactly("OPTIMIZE@0", "MEASURE@1", "MEASURE@2", "MEASURE@3");
    }

    @Test
    void lazyMeasuresEveryHalfHourAndNeverReadsTheServiceInBetween() {
        Schedule s = new Schedule(settings(Mode.LAZY, false), true, LEAST, 0);
        assertThat(run(s, 3 * 3600)).containsExactly("OPTIMIZE@0", "MEASURE@1800", "MEASURE@3600", "MEASURE@5400",
                "MEASURE@7200", "MEASURE@9000", "MEASURE@10800");
    }

    @Test
    void theSelectionIsRevisitedEveryOptimizeInterval() {
        Schedule s = new Schedule(Schedule.Settings.forMode(Mode.FAST, false, Duration.ofMinutes(5))
                .withStartJitter(Duration.ZERO), false, LEAST, 0);
        // Due at 300 and 620, each optimize waits for the next poll (320, 640) and takes its place.
        assertThat(network(run(s, 700))).containsExactly("OPTIMIZE@0", "MEASURE@64", "MEASURE@128", "MEASURE@192", "MEASURE@256",
                "OPTIMIZE@320", "MEASURE@384", "MEASURE@448", "MEASURE@512", "MEASURE@576", "OPTIMIZE@640");
    }

    @Test
    void noServerIsPolledAgainWithinTheFloorNotEvenByAnOptimize() {
        SplittableRandom random = new SplittableRandom(7);
        Schedule s = new Schedule(Schedule.Settings.forMode(Mode.FAST, false, Duration.ofHours(6)), true, random, 0);
        long last = -1;
        long shortest = Long.MAX_VALUE;
        int optimizes = 0;
        // Every cycle takes the pool's burst (4 requests, 2 s apart) to finish.
        for (Schedule.Next n = s.next(); n.atMonotonic() < 25 * 3600 * S; n = s.next()) {
            if (n.kind() != CycleKind.SERVICE) {
                optimizes += n.kind() == CycleKind.OPTIMIZE ? 1 : 0;
                shortest = last < 0 ? shortest : Math.min(shortest, n.atMonotonic() - last);
                last = n.atMonotonic();
            }
            s.completed(n.kind(), true, n.kind() == CycleKind.SERVICE ? n.atMonotonic() : n.atMonotonic() + 6 * S);
        }
        assertThat(optimizes).as("the start and every 6 h").isEqualTo(5);
        assertThat(shortest).isGreaterThanOrEqualTo(Schedule.PUBLIC_POLL_FLOOR.toNanos());
    }

    @Test
    void aFleetStartedInTheSameSecondSpreadsOverTheFirstPollInterval() {
        Schedule.Settings fast = Schedule.Settings.forMode(Mode.FAST, false, Duration.ofHours(6));
        SplittableRandom seeds = new SplittableRandom(11);
        int[] perEighth = new int[8];
        for (int agent = 0; agent < 8000; agent++) {
            long first = new Schedule(fast, true, seeds.split(), 0).next().atMonotonic();
            assertThat(first).isBetween(0L, 64 * S - 1);
            perEighth[(int) (first / (8 * S))]++;
        }
        // A thousand expected in each 8 s; a herd would put them all in the first.
        for (int n : perEighth) {
            assertThat(n).as(Arrays.toString(perEighth)).isBetween(850, 1150);
        }
    }

    @Test
    void anOptimizeIntervalBelowTheFloorIsRaisedToIt() {
        assertThat(Schedule.Settings.forMode(Mode.ULTRAFAST, false, Duration.ofSeconds(1)).optimizeInterval())
                .isEqualTo(Duration.ofSeconds(64));
        assertThat(Schedule.Settings.forMode(Mode.ULTRAFAST, false, Duration.ofNanos(1)).optimizeInterval())
                .isEqualTo(Duration.ofSeconds(64));
        assertThat(Schedule.Settings.forMode(Mode.ULTRAFAST, true, Duration.ofSeconds(2)).optimizeInterval())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(Schedule.Settings.forMode(Mode.ULTRAFAST, true, Duration.ofNanos(1)).optimizeInterval())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(Schedule.Settings.forMode(Mode.FAST, false, Duration.ofSeconds(64)).optimizeInterval())
                .isEqualTo(Duration.ofSeconds(64));
    }

    @Test
    void anOutageBacksOffDoublingUpToAnHourAndTheFirstGoodRunEndsIt() {
        Schedule s = new Schedule(settings(Mode.FAST, false), false, LEAST, 0);
        List<Long> gaps = new ArrayList<>();
        long last = 0;
        for (int i = 0; i < 9; i++) {
            Schedule.Next n = s.next();
            assertThat(n.kind()).isEqualTo(CycleKind.OPTIMIZE);
            gaps.add((n.atMonotonic() - last) / S);
            last = n.atMonotonic();
            s.completed(n.kind(), false, n.atMonotonic());
        }
        assertThat(gaps).containsExactly(0L, 64L, 128L, 256L, 512L, 1024L, 2048L, 3600L, 3600L);
        assertThat(s.failures()).isEqualTo(9);

        s.completed(CycleKind.OPTIMIZE, true, last);
        assertThat(s.failures()).isZero();
        assertThat(s.next()).isEqualTo(new Schedule.Next(CycleKind.SERVICE, last + 60 * S));
        s.completed(CycleKind.SERVICE, true, last + 60 * S);
        assertThat(s.next()).isEqualTo(new Schedule.Next(CycleKind.MEASURE, last + 64 * S));
    }

    @Test
    void aSelectionThatStopsAnsweringIsReplacedAfterABackoff() {
        Schedule s = new Schedule(settings(Mode.FAST, false), false, LEAST, 0);
        s.completed(CycleKind.OPTIMIZE, true, 0);
        s.completed(CycleKind.MEASURE, false, 64 * S);
        assertThat(s.next()).isEqualTo(new Schedule.Next(CycleKind.OPTIMIZE, 128 * S));
    }

    @Test
    void theFirstRunIsSpreadOverTheStartJitter() {
        Schedule.Settings fast = Schedule.Settings.forMode(Mode.FAST, false, Duration.ofHours(6));
        assertThat(fast.startJitter()).isEqualTo(Duration.ofSeconds(64));
        assertThat(new Schedule(fast, false, LEAST, 5 * S).next().atMonotonic()).isEqualTo(5 * S);
        assertThat(new Schedule(fast, false, MOST, 5 * S).next().atMonotonic()).isBetween(68 * S, 69 * S);
        assertThat(Schedule.Settings.forMode(Mode.LAZY, false, Duration.ofHours(6)).startJitter()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void intervalsMustBePositive() {
        assertThatThrownBy(() -> new Schedule.Settings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ZERO, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }
}
