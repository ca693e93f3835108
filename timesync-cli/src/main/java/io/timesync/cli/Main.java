package io.timesync.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/** The {@code timesync} executable. */
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(System.out, true, charset);
        PrintWriter err = new PrintWriter(System.err, true, charset);
        System.exit(Cli.run(args, out, err));
    }
}
