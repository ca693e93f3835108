package io.timesync.platform;

import io.timesync.correct.CommandRunner;

import java.nio.file.Path;
import java.util.Map;

/**
 * One operating-system family's implementations and defaults. The OS modules provide these through
 * {@link java.util.ServiceLoader}; the CLI picks one, in one place, by the running OS's name. No
 * other code looks at the OS name.
 */
public interface Platform {

    /** A short name for messages, e.g. {@code linux}. */
    String name();

    /** Whether this platform serves the OS whose {@code os.name} property is {@code osName}. */
    boolean supports(String osName);

    /**
     * Whether a process of {@code userName} may change the system's time service (root on Unix). On
     * Windows, where membership of Administrators cannot be read from Java, this is false and the
     * OS refuses what needs elevation.
     */
    boolean privileged(String userName);

    /**
     * Whether {@link #privileged} can tell. Where it cannot (Windows: membership of Administrators is
     * not visible from Java), commands that need rights try anyway, and the OS's refusal is reported
     * as needing them.
     */
    default boolean knowsPrivilege() {
        return true;
    }

    /**
     * Whether this process runs with the rights to change the system, asking the OS through
     * {@code runner} where the user's name cannot tell (Windows: an elevated Administrator). This
     * chooses machine-wide or per-user directories; it grants nothing: the OS still refuses what it
     * refuses. By default, {@link #privileged(String)}.
     *
     * @throws InterruptedException when interrupted while asking
     */
    default boolean privileged(String userName, CommandRunner runner) throws InterruptedException {
        return privileged(userName);
    }

    /**
     * Where state (the memo) lives by default.
     *
     * @param privileged whether the process runs as root / Administrator
     * @param env        the environment (for XDG_* and %ProgramData% style variables)
     * @param userHome   the user's home directory
     */
    Path stateDirectory(boolean privileged, Map<String, String> env, Path userHome);

    /** Where the telemetry log lives by default; arguments as for {@link #stateDirectory}. */
    Path logDirectory(boolean privileged, Map<String, String> env, Path userHome);
}
