package io.timesync.unix.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.testing.RequiredTool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property list as a real parser reads it: Python's plistlib (the format's reference reader off
 * macOS), run as a process, hands it back as JSON. A plist that plistlib rejects fails the test.
 */
final class Plist {

    private static final String TO_JSON =
            "import plistlib, sys, json; print(json.dumps(plistlib.load(open(sys.argv[1], 'rb'))))";

    private Plist() {
    }

    /** The top-level dictionary of the plist in {@code file}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) throws IOException, InterruptedException {
        Path python = RequiredTool.find("TIMESYNC_PYTHON3", "python3", "the launchd tests parse plists with plistlib: apt-get install python3");
        Process p = new ProcessBuilder(List.of(python.toString(), "-c", TO_JSON, file.toString())).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("plistlib finished").isTrue();
        assertThat(p.exitValue()).as("plistlib rejected %s: %s", file, err).isZero();
        return new ObjectMapper().readValue(out, Map.class);
    }

    /** The top-level dictionary of the plist {@code content}, written to a file in {@code dir}. */
    static Map<String, Object> parse(String content, Path dir) throws IOException, InterruptedException {
        return read(Files.writeString(Files.createTempFile(dir, "launchd", ".plist"), content, StandardCharsets.UTF_8));
    }
}
