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
     * Creates {@code root} with {@code etc/chrony/chrony.conf} naming the socket as {@code /run/c/...}:
     * paths in it are taken under the root, so the socket's directory is linked there, by a short path
     * (a Unix socket's path has at most 107 bytes).
     */
    static Path create(Path root, ChronyServer chrony) throws IOException {
        Files.createDirectories(root.resolve("etc/chrony"));
        Path socket = chrony.commandSocket();
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), "bindcmdaddress /run/c/" + socket.getFileName() + "\n");
        Files.createDirectories(root.resolve("run"));
        Files.createSymbolicLink(root.resolve("run/c"), socket.getParent());
        return root;
    }
}
