package io.timesync.testing;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.MulticastSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rules every TimeSync module holds, checked by each module's {@code ArchitectureTest}
 * on its own main classes: packages that depend one way, and clocks, sockets, processes and the OS
 * name each read in the one place made for them.
 */
public final class ArchitectureRules {

    /** The one class that reads the system clocks: the time source everything else is given. */
    public static final String SYSTEM_TIME_SOURCE = "io.timesync.time.SystemTimeSource";

    /** The one class that starts processes: every external command goes through it. */
    public static final String COMMAND_RUNNER = "io.timesync.correct.ProcessCommandRunner";

    /** The simple name of the one class that looks at the OS name, to choose the platform. */
    public static final String PLATFORM_FACTORY = "Platforms";

    private static final String OS_NAME = "os.name";

    private static final Set<String> CLOCK_TYPES = Set.of("java.time.Instant", "java.time.LocalDate",
            "java.time.LocalDateTime", "java.time.LocalTime", "java.time.OffsetDateTime", "java.time.OffsetTime",
            "java.time.ZonedDateTime", "java.time.Year", "java.time.YearMonth", "java.time.MonthDay");

    private ArchitectureRules() {
    }

    /** The main classes of the module {@code anyMainClass} comes from (its classes directory or jar), without its tests. */
    public static JavaClasses mainClassesOf(Class<?> anyMainClass) {
        try {
            Path location = Path.of(anyMainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ClassFileImporter().importPath(location);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + anyMainClass, e);
        }
    }

    /** Each package is a slice; no chain of dependencies leads from a package back to itself. */
    public static ArchRule noPackageCycles() {
        return slices().matching("io.timesync.(**)").namingSlices("$1").should().beFreeOfCycles();
    }

    /**
     * The packages in {@code bottomToTop} (package patterns such as {@code io.timesync.probe..}) depend
     * only downwards: none depends on one listed after it.
     */
    public static ArchRule dependOnlyDownwards(String... bottomToTop) {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 0; i < bottomToTop.length - 1; i++) {
            String[] above = Arrays.copyOfRange(bottomToTop, i + 1, bottomToTop.length);
            rules.add(noClasses().that().resideInAPackage(bottomToTop[i])
                    .should().dependOnClassesThat().resideInAnyPackage(above)
                    .because("the packages are layered " + String.join(" < ", bottomToTop)));
        }
        return CompositeArchRule.of(rules);
    }

    /** Time is passed in: nothing but the system time source reads a clock. */
    public static ArchRule noClockReadsOutsideTheTimeSource() {
        return noClasses().that().doNotHaveFullyQualifiedName(SYSTEM_TIME_SOURCE)
                .should().callMethodWhere(readsAClock())
                .orShould().callConstructor(java.util.Date.class)
                .because("core takes a TimeSource, so that tests drive a fake one (TimeSource.system() is the real one)");
    }

    /** UDP and TCP live in probing and NTS alone (in the NTS module, where every class may, nothing is left to check). */
    public static ArchRule noSocketsOutsideProbingAndNts() {
        return noClasses().that().resideOutsideOfPackages("io.timesync.probe..", "io.timesync.nts..")
                .should().dependOnClassesThat().belongToAnyOf(DatagramSocket.class, MulticastSocket.class,
                        Socket.class, ServerSocket.class, DatagramChannel.class, SocketChannel.class,
                        ServerSocketChannel.class, AsynchronousSocketChannel.class)
                .because("the network is reached through the probes (UdpProbe, NTS), which tests drive on loopback")
                .allowEmptyShould(true);
    }

    /** Every external command goes through the one command runner. */
    public static ArchRule noProcessStartsOutsideTheCommandRunner() {
        return noClasses().that().doNotHaveFullyQualifiedName(COMMAND_RUNNER)
                .should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class)
                .orShould().callMethodWhere(startsAProcess())
                .because("commands are data run by the injected CommandRunner, which tests replace with a recording one");
    }

    /** The platform is chosen in one place; nothing else asks which OS it runs on. */
    public static ArchRule noOsNameOutsideThePlatformFactory() {
        return classes().that().doNotHaveSimpleName(PLATFORM_FACTORY)
                .should(notHoldTheOsNameKey())
                .because("the Platform found by ServiceLoader answers every OS-specific question");
    }

    private static DescribedPredicate<JavaCall<?>> readsAClock() {
        return DescribedPredicate.describe("read a clock (System.currentTimeMillis/nanoTime, java.time now(), Clock.system*)",
                call -> {
                    String owner = call.getTargetOwner().getName();
                    String name = call.getName();
                    return owner.equals("java.lang.System") && (name.equals("currentTimeMillis") || name.equals("nanoTime"))
                            || CLOCK_TYPES.contains(owner) && name.equals("now")
                            || owner.equals("java.time.Clock") && (name.startsWith("system") || name.startsWith("tick"));
                });
    }

    private static DescribedPredicate<JavaCall<?>> startsAProcess() {
        return DescribedPredicate.describe("start a process (Runtime.exec)",
                call -> call.getTargetOwner().getName().equals("java.lang.Runtime") && call.getName().equals("exec"));
    }

    // A property key is a string constant, which ArchUnit does not model: look for it in the class file.
    private static ArchCondition<JavaClass> notHoldTheOsNameKey() {
        return new ArchCondition<>("not read the \"" + OS_NAME + "\" property") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                if (classFileContains(javaClass, OS_NAME)) {
                    events.add(SimpleConditionEvent.violated(javaClass,
                            javaClass.getName() + " holds the string \"" + OS_NAME + "\""));
                }
            }
        };
    }

    private static boolean classFileContains(JavaClass javaClass, String text) {
        if (javaClass.getSource().isEmpty()) {
            return false;
        }
        try (InputStream in = javaClass.getSource().get().getUri().toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class file of " + javaClass.getName(), e);
        }
    }
}
