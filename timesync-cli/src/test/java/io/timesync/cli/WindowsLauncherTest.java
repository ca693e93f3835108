package io.timesync.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin\timesync.cmd}, which the distribution ships. No cmd.exe runs here, so the script is
 * checked for the properties that make it work there.
 */
class WindowsLauncherTest {

    private static final Path SCRIPT = Path.of("src/main/dist/bin/timesync.cmd");

    @Test
    void passesEveryArgumentToTheJarWithTheJavaOfJavaHomeOrThePath() throws Exception {
        String text = Files.readString(SCRIPT, StandardCharsets.US_ASCII);
        List<String> lines = List.of(text.split("\r\n", -1));
        // Arguments pass through unchanged, the jar's path is quoted, the exit status is TimeSync's.
        assertThat(lines).contains("\"%JAVA_EXE%\" %TIMESYNC_AGENT_OPTS% %TIMESYNC_JAVA_OPTS% -jar \"%TIMESYNC_JAR%\" %*",
                "exit /b %ERRORLEVEL%");
        assertThat(lines).contains("if errorlevel 1 set \"TIMESYNC_AGENT_OPTS=%TIMESYNC_AGENT_OPTS% -XX:+UseSerialGC\"");
        assertThat(lines).contains("set \"JAVA_EXE=%JAVA_HOME%\\bin\\java.exe\"", "set \"JAVA_EXE=java.exe\"",
                "if not defined TIMESYNC_JAR set \"TIMESYNC_JAR=%TIMESYNC_HOME%\\lib\\timesync.jar\"");
        assertThat(text).startsWith("@echo off\r\n").contains("setlocal");
    }

    @Test
    void isAWellFormedBatchFile() throws Exception {
        byte[] bytes = Files.readAllBytes(SCRIPT);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        // CRLF only (cmd.exe misreads labels in LF-only files), plain ASCII.
        assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        for (byte b : bytes) {
            assertThat(b).isBetween((byte) 0, (byte) 127);
        }
        // No parenthesised block: a path with "(x86)" in JAVA_HOME would close it early.
        for (String line : text.split("\r\n")) {
            if (!line.startsWith("rem ")) {
                assertThat(line.strip()).doesNotEndWith("(").doesNotStartWith(")");
            }
        }
        // Every goto has its label.
        Matcher gotos = Pattern.compile("goto (\\w+)").matcher(text);
        while (gotos.find()) {
            assertThat(text).contains("\r\n:" + gotos.group(1) + "\r\n");
        }
        // Diagnostics go to stderr.
        Matcher echoes = Pattern.compile("(?m)^echo (.*)\r$").matcher(text);
        while (echoes.find()) {
            assertThat(echoes.group(1)).endsWith(" 1>&2");
        }
    }
}
