package io.timesync.cli;

import io.timesync.platform.Platform;

import java.util.ServiceLoader;

/** Chooses the OS platform: the one place that looks at the OS name. */
final class Platforms {

    private Platforms() {
    }

    /** The platform that serves the running OS. */
    static Platform current() {
        return forOs(System.getProperty("os.name", ""));
    }

    /** The platform that serves {@code osName}; the first one on the class path that claims it. */
    static Platform forOs(String osName) {
        for (Platform platform : ServiceLoader.load(Platform.class)) {
            if (platform.supports(osName)) {
                return platform;
            }
        }
        throw new IllegalStateException("no TimeSync platform supports the OS '" + osName + "'");
    }
}
