package io.timesync.cli;

import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.time.Sample;
import io.timesync.time.SampleFailure;
import io.timesync.text.NanosText;
import io.timesync.ntp.Leap;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The output of {@code timesync probe}: a table for people, or one JSON document whose field names
 * are a stable contract (times in nanoseconds).
 */
final class ProbeReport {


    private ProbeReport() {
    }

    /** The JSON document: {@code {"servers": [...]}}. */
    record Document(List<ServerRow> servers) {
    }

    /** One server address. Field order and names are part of the contract. */
    record ServerRow(String server, String address, int port, Integer stratum, Long offsetNs, Long delayNs,
                     Long jitterNs, int reach, String leap, Long rootDelayNs, Long rootDispersionNs,
                     Long rootDistanceNs, Long errorBoundNs, String referenceId, Integer precision, int sent,
                     List<SampleRow> samples, List<FailureRow> failures, String error, boolean authenticated) {
    }

    /** One valid exchange: the four timestamps in Unix nanoseconds and what they give. */
    record SampleRow(long t1Ns, long t2Ns, long t3Ns, long t4Ns, long offsetNs, long delayNs, int stratum) {
    }

    /** One request without a usable reply. */
    record FailureRow(String kind, String status, String kissCode, String detail) {
    }

    static void printJson(List<Measurement> measurements, PrintWriter out) {
        List<ServerRow> rows = new ArrayList<>(measurements.size());
        for (Measurement m : measurements) {
            rows.add(row(m));
        }
        JsonOutput.print(new Document(rows), out);
    }

    private static ServerRow row(Measurement m) {
        List<SampleRow> samples = new ArrayList<>();
        for (Sample s : m.samples()) {
            samples.add(new SampleRow(s.t1UnixNanos(), s.t2UnixNanos(), s.t3UnixNanos(), s.t4UnixNanos(),
                    s.offsetNanos(), s.delayNanos(), s.stratum()));
        }
        List<FailureRow> failures = new ArrayList<>();
        for (SampleFailure f : m.failures()) {
            failures.add(new FailureRow(f.kind().name().toLowerCase(Locale.ROOT),
                    f.status() == null ? null : f.status().name().toLowerCase(Locale.ROOT),
                    f.kissCode() == null ? null : f.kissCode().name(), f.detail()));
        }
        Estimate e = m.estimate();
        if (e == null) {
            return new ServerRow(m.server().host(), m.address(), m.port(), null, null, null, null, m.reach(), null,
                    null, null, null, null, null, null, m.sent(), samples, failures, m.error(), false);
        }
        Sample best = e.best();
        return new ServerRow(m.server().host(), m.address(), m.port(), best.stratum(), e.offsetNanos(),
                e.delayNanos(), e.jitterNanos(), m.reach(), leapName(best.leap()), best.rootDelayNanos(),
                best.rootDispersionNanos(), e.rootDistanceNanos(), e.errorBoundNanos(), best.referenceIdText(),
                best.precision(), m.sent(), samples, failures, null, m.authenticated());
    }

    static void printTable(List<Measurement> measurements, PrintWriter out) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"SERVER", "ADDRESS", "PORT", "ST", "OFFSET", "BOUND", "DELAY", "JITTER", "REACH", "LEAP", "NOTE"});
        for (Measurement m : measurements) {
            Estimate e = m.estimate();
            String address = m.address() == null ? "-" : m.address();
            String reach = Integer.toOctalString(m.reach());
            if (e == null) {
                lines.add(new String[] {m.server().host(), address, Integer.toString(m.port()), "-", "-", "-", "-", "-",
                    reach, "-", m.error()});
            } else {
                Sample best = e.best();
                String note = (m.authenticated() ? "NTS-authenticated" : "") + (m.failures().isEmpty() ? ""
                        : (m.authenticated() ? "; " : "") + m.failures().size() + " of " + m.sent() + " failed: "
                        + m.failures().get(m.failures().size() - 1).detail());
                lines.add(new String[] {m.server().host(), address, Integer.toString(m.port()),
                    Integer.toString(best.stratum()), NanosText.of(e.offsetNanos(), true),
                    NanosText.of(e.errorBoundNanos(), false),
                    NanosText.of(e.delayNanos(), false), NanosText.of(e.jitterNanos(), false), reach,
                    leapName(best.leap()), note});
            }
        }
        Table.print(lines, 2, 8, out);
    }

    /** The leap indicator's name in output: none, add, delete, unsynchronized. */
    static String leapName(Leap leap) {
        return switch (leap) {
            case NONE -> "none";
            case ADD_SECOND -> "add";
            case DELETE_SECOND -> "delete";
            case UNSYNCHRONIZED -> "unsynchronized";
        };
    }
}
