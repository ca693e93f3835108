package io.timesync.platform;

import java.util.List;

/**
 * The time service found and its own view: which one, which implementation ({@code ntpsec} or {@code ntp}
 * for ntpd, else null), whether it is installed and answers, its frequency correction as it reports it
 * (null when unknown), its tracking when it gives one, and the sources it uses now.
 */
public record ServiceState(String name, String variant, boolean installed, boolean active, String detail, Double frequencyPpm,
                           ServiceTracking tracking, List<ServicePeer> sources) {

    public ServiceState {
        sources = List.copyOf(sources);
    }
}
