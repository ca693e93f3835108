package io.timesync.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.timesync.api.TimeSync;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Each architecture rule catches the code it forbids and passes code that keeps it. */
class ArchitectureRulesTest {

    private static final JavaClasses INNOCENT = new ClassFileImporter().importClasses(Innocent.class);

    @Test
    void aClockReadBreaksTheTimeSourceRule() {
        assertCaught(ArchitectureRules.noClockReadsOutsideTheTimeSource(), ReadsTheClock.class);
    }

    @Test
    void aSocketBreaksTheProbingRule() {
        assertCaught(ArchitectureRules.noSocketsOutsideProbingAndNts(), OpensASocket.class);
    }

    @Test
    void aProcessBreaksTheCommandRunnerRule() {
        assertCaught(ArchitectureRules.noProcessStartsOutsideTheCommandRunner(), StartsAProcess.class);
        assertCaught(ArchitectureRules.noProcessStartsOutsideTheCommandRunner(), ExecsAProcess.class);
    }

    @Test
    void theOsNameBreaksThePlatformRule() {
        assertCaught(ArchitectureRules.noOsNameOutsideThePlatformFactory(), AsksForTheOs.class);
    }

    @Test
    void aDependencyUpwardsBreaksTheLayering() {
        JavaClasses core = ArchitectureRules.mainClassesOf(TimeSync.class);
        assertThat(ArchitectureRules.dependOnlyDownwards("io.timesync.api..", "io.timesync.time..").evaluate(core).hasViolation())
                .as("the facade uses the values, so it cannot sit below them").isTrue();
        assertThat(ArchitectureRules.dependOnlyDownwards("io.timesync.time..", "io.timesync.api..").evaluate(core).hasViolation())
                .isFalse();
    }

    private static void assertCaught(ArchRule rule, Class<?> offender) {
        assertThat(rule.evaluate(new ClassFileImporter().importClasses(offender)).hasViolation())
                .as("%s breaks: %s", offender.getSimpleName(), rule.getDescription()).isTrue();
        assertThat(rule.evaluate(INNOCENT).hasViolation()).as("Innocent keeps: %s", rule.getDescription()).isFalse();
    }

    static final class Innocent {
        static long twice(long nanos) {
            return 2 * nanos;
        }
    }

    static final class ReadsTheClock {
        static Instant now() {
            return Instant.now();
        }
    }

    static final class OpensASocket {
        static DatagramSocket open() throws SocketException {
            return new DatagramSocket();
        }
    }

    static final class StartsAProcess {
        static ProcessBuilder builder() {
            return new ProcessBuilder("true");
        }
    }

    static final class ExecsAProcess {
        static Process exec() throws IOException {
            return Runtime.getRuntime().exec(new String[] {"true"});
        }
    }

    static final class AsksForTheOs {
        static String os() {
            return System.getProperty("os.name");
        }
    }
}
