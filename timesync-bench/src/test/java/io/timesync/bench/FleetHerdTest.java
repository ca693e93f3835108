package io.timesync.bench;

import io.timesync.agent.Schedule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The herd simulation on a smaller fleet: both fleets spread out, and no agent polls a server within 64 s. */
class FleetHerdTest {

    @Test
    void aFleetBootedInTheSameSecondDoesNotHerd() {
        for (FleetHerd.Load load : new FleetHerd.Load[] {FleetHerd.daemons(2000, 3), FleetHerd.timers(2000, 3)}) {
            // Every agent polls in steady state: 2,000 agents, 16 requests a poll, a poll every 64-100 s.
            assertThat(load.steadyMean()).as(load.name).isBetween(2000 * 16 / 100.0, 2000 * 16 / 64.0);
            // A smaller fleet's seconds vary more about their mean, hence a looser bound than the script's 2.0.
            assertThat(load.peakOverMean()).as(load.name).isLessThan(2.5);
            assertThat(load.shortestGap).as(load.name).isGreaterThanOrEqualTo(Schedule.PUBLIC_POLL_FLOOR.toSeconds());
        }
    }

    @Test
    void theTimerIsReadFromTheUnitAsWritten() {
        String unit = "[Timer]\nOnBootSec=60s\nOnUnitInactiveSec=60s\nRandomizedDelaySec=60s\n";
        assertThat(FleetHerd.seconds(unit, "RandomizedDelaySec")).isEqualTo(60);
        assertThatThrownBy(() -> FleetHerd.seconds(unit, "OnCalendar"))
                .hasMessageContaining("OnCalendar");
    }
}
