package io.timesync.app;

import io.timesync.platform.Platform;

import java.util.ServiceLoader;

/** Chooses the OS platform: the one place that looks at the OS name. */
public final class Platforms {

    private Platforms() {
    }

    /** The platform that serves the running OS. */
    public static Platform current() {
        return forOs(System.getProperty("os.name", ""));
    }

    /** The platform that serves {@code osName}; the first one on the class path that claims it. */
    public static Platform forOs(String osName) {
        for (Platform platform : ServiceLoader.load(Platform.class)) {
            if (platform.supports(osName)) {
                return platform;
            }
        }
        throw new IllegalStateException("no TimeSync platform supports the OS '" + osName + "'");
    }

    /**
     * The platform called {@code name} ({@code windows}, {@code linux}, {@code macos}).
     *
     * @throws IllegalArgumentException naming the platforms there are
     */
    public static Platform forName(String name) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Platform platform : ServiceLoader.load(Platform.class)) {
            if (platform.name().equalsIgnoreCase(name.trim())) {
                return platform;
            }
            names.add(platform.name());
        }
        throw new IllegalArgumentException("unknown platform '" + name + "' (expected one of " + String.join(", ", names) + ")");
    }
}
