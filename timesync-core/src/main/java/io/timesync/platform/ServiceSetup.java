package io.timesync.platform;

/**
 * What a platform answers to {@code timesync setup}: a service built into the OS (nothing to install), or the
 * plan that puts one in place with the system's packages and init system.
 */
public sealed interface ServiceSetup permits BuiltInService, SetupPlan {
}
