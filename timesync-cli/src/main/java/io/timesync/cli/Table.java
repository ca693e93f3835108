package io.timesync.cli;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows as aligned columns; the first row is the header. */
final class Table {

    private Table() {
    }

    /**
     * Prints {@code lines}; columns {@code firstNumeric} to {@code lastNumeric} (inclusive) are
     * right-aligned, the last column is not padded.
     */
    static void print(List<String[]> lines, int firstNumeric, int lastNumeric, PrintWriter out) {
        int[] widths = new int[lines.get(0).length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                String pad = " ".repeat(widths[i] - line[i].length());
                boolean numeric = i >= firstNumeric && i <= lastNumeric;
                text.append(numeric ? pad + line[i] : line[i] + (i == line.length - 1 ? "" : pad));
                if (i < line.length - 1) {
                    text.append("  ");
                }
            }
            out.println(text.toString().stripTrailing());
        }
    }
}
