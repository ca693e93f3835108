package io.timesync.platform;

import java.util.List;

/**
 * What the platform finds about its time service for the doctor: its checks in the report's order
 * (installed and active, synchronised), and the service's tracking when it gives one, or null.
 */
public record ServiceDiagnosis(List<Diagnosis> checks, ServiceTracking tracking) {

    public ServiceDiagnosis {
        checks = List.copyOf(checks);
    }
}
