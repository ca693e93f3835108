package io.timesync.unix.chrony;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Field parsers for chronyc's CSV output; each names the field it could not read. */
final class Csv {

    private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000L);

    private Csv() {
    }

    /** Seconds with up to nine decimals, as exact nanoseconds. */
    static long nanos(String field, String name) {
        try {
            return new BigDecimal(field.trim()).multiply(BILLION).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(field, name, "seconds");
        }
    }

    static double decimal(String field, String name) {
        try {
            return Double.parseDouble(field.trim());
        } catch (NumberFormatException e) {
            throw invalid(field, name, "a number");
        }
    }

    static int integer(String field, String name) {
        try {
            return Integer.parseInt(field.trim());
        } catch (NumberFormatException e) {
            throw invalid(field, name, "a whole number");
        }
    }

    static long integerLong(String field, String name) {
        try {
            return Long.parseLong(field.trim());
        } catch (NumberFormatException e) {
            throw invalid(field, name, "a whole number");
        }
    }

    static long hex(String field, String name) {
        try {
            return Long.parseLong(field.trim(), 16);
        } catch (NumberFormatException e) {
            throw invalid(field, name, "hexadecimal");
        }
    }

    static long octal(String field, String name) {
        try {
            return Long.parseLong(field.trim(), 8);
        } catch (NumberFormatException e) {
            throw invalid(field, name, "octal");
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    private static IllegalArgumentException invalid(String field, String name, String expected) {
        return new IllegalArgumentException("chronyc: " + name + " '" + abbreviate(field) + "' is not " + expected);
    }
}
