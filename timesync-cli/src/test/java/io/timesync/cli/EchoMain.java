package io.timesync.cli;

/** Stands in for TimeSync behind the launcher in {@link LauncherTest}: prints its arguments and Java, exits 3. */
public final class EchoMain {

    private EchoMain() {
    }

    public static void main(String[] args) {
        System.out.println("java.home=" + System.getProperty("java.home"));
        System.out.println("opt=" + System.getProperty("timesync.test.opt"));
        System.out.println("launcher=" + System.getenv("TIMESYNC_LAUNCHER"));
        System.out.println("malloc.arenas=" + System.getenv("MALLOC_ARENA_MAX"));
        for (String option : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            System.out.println("jvm=" + option);
        }
        for (String arg : args) {
            System.out.println("arg=" + arg);
        }
        System.exit(3);
    }
}
