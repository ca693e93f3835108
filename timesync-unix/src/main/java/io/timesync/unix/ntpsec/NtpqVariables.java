package io.timesync.unix.ntpsec;

import io.timesync.ntp.Leap;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ntpd's system variables, from {@code ntpq -c rv}: {@code name=value} pairs separated by commas
 * over several lines, values optionally quoted. Times are milliseconds in ntpq's output and
 * nanoseconds here.
 *
 * @param values every variable as printed, in order
 */
public record NtpqVariables(Map<String, String> values) {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000L);

    /** Copies the map so the record is immutable (order kept). */
    public NtpqVariables {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Parses ntpq's output.
     *
     * @throws IllegalArgumentException when it is not a variable list (e.g. "***Socket error; probably ntpd is not running")
     */
    public static NtpqVariables parse(String output) {
        String text = output.strip();
        if (!text.startsWith("associd=")) {
            throw new IllegalArgumentException("ntpq: not a variable list: '"
                    + (text.length() > 120 ? text.substring(0, 117) + "..." : text).lines().findFirst().orElse("") + "'");
        }
        Map<String, String> values = new LinkedHashMap<>();
        StringBuilder item = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '"') {
                quoted = !quoted;
            } else if ((c == ',' || c == '\n') && !quoted) {
                put(item.toString().strip(), values);
                item.setLength(0);
            } else {
                item.append(c);
            }
        }
        return new NtpqVariables(values);
    }

    private static void put(String item, Map<String, String> values) {
        int eq = item.indexOf('=');
        if (eq > 0) {
            // "associd=0 status=0514 leap_none, ..." carries two variables and a status text in one item.
            String name = item.substring(0, eq);
            String value = item.substring(eq + 1);
            int space = value.indexOf(' ');
            if (name.equals("associd") && space > 0) {
                values.put(name, value.substring(0, space));
                put(value.substring(space + 1).strip(), values);
                return;
            }
            if (name.equals("status") && value.indexOf(' ') > 0) {
                values.put(name, value.substring(0, value.indexOf(' ')));
                return;
            }
            values.put(name, value);
        }
    }

    /** A variable as printed, or an exception naming it. */
    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("ntpq: no variable '" + name + "'");
        }
        return value;
    }

    /** The leap indicator ({@code leap=00}: two binary digits). */
    public Leap leap() {
        String bits = get("leap");
        try {
            return Leap.of(Integer.parseInt(bits, 2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ntpq: leap '" + bits + "' is not two binary digits");
        }
    }

    /** ntpd's stratum (16 when unsynchronised). */
    public int stratum() {
        try {
            return Integer.parseInt(get("stratum"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ntpq: stratum '" + get("stratum") + "' is not a whole number");
        }
    }

    /** The system offset in nanoseconds (ntpq prints milliseconds). */
    public long offsetNanos() {
        return millis("offset");
    }

    /** The root dispersion in nanoseconds. */
    public long rootDispersionNanos() {
        return millis("rootdisp");
    }

    /** The root delay in nanoseconds. */
    public long rootDelayNanos() {
        return millis("rootdelay");
    }

    /** The system jitter in nanoseconds. */
    public long systemJitterNanos() {
        return millis("sys_jitter");
    }

    /** The frequency correction, ppm. */
    public double frequencyPpm() {
        try {
            return Double.parseDouble(get("frequency"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ntpq: frequency '" + get("frequency") + "' is not a number");
        }
    }

    private long millis(String name) {
        String value = get(name);
        try {
            return new BigDecimal(value).multiply(MILLION).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("ntpq: " + name + " '" + value + "' is not milliseconds");
        }
    }
}
