package io.timesync.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One real chronyd for a whole test class:
 * {@code @RegisterExtension static final ChronyExtension chrony = new ChronyExtension(8);}.
 * Started before the first test, stopped and its files removed after the last.
 */
public final class ChronyExtension implements BeforeAllCallback, AfterAllCallback {

    private final int stratum;
    private Path directory;
    private ChronyServer server;

    /** A chronyd with {@code local stratum N}. */
    public ChronyExtension(int stratum) {
        this.stratum = stratum;
    }

    /** The running server; only valid inside the test class's tests. */
    public ChronyServer server() {
        if (server == null) {
            throw new IllegalStateException("chronyd is not running: use ChronyExtension as a static @RegisterExtension field");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("timesync-chrony");
        server = ChronyServer.start(directory, stratum);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            server = null;
            deleteTree(directory);
        }
    }

    /** Removes a directory tree (test fixtures' temporary directories). */
    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
