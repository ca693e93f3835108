package io.timesync.select;

import java.util.List;
import java.util.Locale;

/**
 * Servers known to smear leap seconds over a day instead of inserting one. Their time differs from
 * everybody else's by up to 0.5 s around a leap second, so they are never mixed with non-smearing
 * servers in one selection.
 */
public final class LeapSmear {

    // Google (time.google.com, time1-4.google.com), Facebook/Meta, Amazon's public and in-VPC service.
    private static final List<String> SMEARING_SUFFIXES = List.of("time.google.com", ".google.com", "time.facebook.com",
            ".facebook.com", "time.aws.com");
    private static final List<String> SMEARING_ADDRESSES = List.of("169.254.169.123", "fd00:ec2::123");

    private LeapSmear() {
    }

    /** Whether a server, named as the user named it, is known to smear leap seconds. */
    public static boolean isSmearing(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (SMEARING_ADDRESSES.contains(h)) {
            return true;
        }
        for (String suffix : SMEARING_SUFFIXES) {
            if (h.equals(suffix) || (suffix.startsWith(".") && h.endsWith(suffix) && h.startsWith("time"))) {
                return true;
            }
        }
        return false;
    }
}
