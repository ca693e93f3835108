package io.timesync.windows.w32time;

import java.util.Objects;

/**
 * A registry value's place: its key and its name.
 *
 * @param key  the key, e.g. {@code HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Config}
 * @param name the value's name, e.g. {@code MaxPollInterval}
 */
record RegistryName(String key, String name) {

    RegistryName {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
    }

    /** KEY\NAME, as {@code reg} and the backup write it. */
    @Override
    public String toString() {
        return key + "\\" + name;
    }
}
