package io.timesync.cli;

import io.timesync.testing.ChronyServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A system root (for {@code --root}) whose chrony.conf names a test chronyd's command socket. */
final class ChronyRoot {

    private ChronyRoot() {
    }

    /**
     * Creates {@code root} with {@code etc/chrony/chrony.conf} naming the socket as {@code /run/c/chronyd.sock}:
     * paths in it are taken under the root and must stay inside it, so the socket is hard-linked there
     * (a symbolic link out of the root would be refused), by a short path (a Unix socket's path has at
     * most 107 bytes).
     */
    static Path create(Path root, ChronyServer chrony) throws IOException {
        Files.createDirectories(root.resolve("etc/chrony"));
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), "bindcmdaddress /run/c/chronyd.sock\n");
        Files.createDirectories(root.resolve("run/c"));
        Files.createLink(root.resolve("run/c/chronyd.sock"), chrony.commandSocket());
        return root;
    }
}
