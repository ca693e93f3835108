package io.timesync.nts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.api.ServerAddress;
import io.timesync.files.AtomicFile;
import io.timesync.files.RegularFile;
import io.timesync.text.JsonErrorText;
import io.timesync.probe.AddressText;
import io.timesync.text.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Keeps NTS sessions (keys, cookies, negotiated server) in one JSON file across runs, so that a
 * periodic agent does not run key establishment every time. The keys are secrets: the file is
 * written atomically and readable by its owner only; a file that others may read is not trusted
 * and is ignored, as is a corrupt one, a link, anything but a regular file, or one over a megabyte
 * (key establishment simply runs again).
 */
public final class NtsSessionStore {

    private static final Logger log = LoggerFactory.getLogger(NtsSessionStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;
    // A session is about a kilobyte (eight cookies); a file a thousand times that is not ours.
    private static final int MAX_BYTES = 1 << 20;

    private final Path file;
    private boolean swept;

    /** @param file the sessions file, e.g. {@code nts-sessions.json} in the state directory */
    public NtsSessionStore(Path file) {
        this.file = file;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** One session as stored. */
    record Stored(String keServer, String address, int port, String c2sKey, String s2cKey, List<String> cookies,
                  long establishedUnixNanos) {
    }

    /** The document. */
    record Document(int version, List<Stored> sessions) {
    }

    /** The stored sessions; none when the file is missing, unreadable, corrupt or readable by others. */
    public List<NtsSession> load() {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try {
            RegularFile.requireRegular(file, true);
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (posix != null && !AtomicFile.OWNER_ONLY.containsAll(posix.readAttributes().permissions())) {
                log.warn("ignoring {}: it holds NTS keys but others may read it", file);
                return List.of();
            }
            Document document = JSON.readValue(RegularFile.read(file, MAX_BYTES), Document.class);
            if (document.version() != VERSION || document.sessions() == null) {
                return List.of();
            }
            List<NtsSession> sessions = new ArrayList<>();
            Base64.Decoder base64 = Base64.getDecoder();
            for (Stored s : document.sessions()) {
                List<byte[]> cookies = new ArrayList<>();
                for (String cookie : s.cookies()) {
                    cookies.add(base64.decode(cookie));
                }
                // The address was stored as a literal: parsed, never looked up.
                InetAddress address = InetAddress.getByName(s.address());
                sessions.add(new NtsSession(ServerAddress.parse(s.keServer(), NtsKeClient.DEFAULT_PORT),
                        new InetSocketAddress(address, s.port()), base64.decode(s.c2sKey()), base64.decode(s.s2cKey()),
                        cookies, s.establishedUnixNanos()));
            }
            return sessions;
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring unreadable NTS sessions file {}: {}", file, Printable.of(JsonErrorText.of(e)));
            return List.of();
        }
    }

    /** Replaces the file with {@code sessions}; a failure is logged (the sessions just are not kept). */
    public void save(List<NtsSession> sessions) {
        Base64.Encoder base64 = Base64.getEncoder();
        List<Stored> stored = new ArrayList<>(sessions.size());
        for (NtsSession s : sessions) {
            List<String> cookies = new ArrayList<>();
            for (byte[] cookie : s.cookies()) {
                cookies.add(base64.encodeToString(cookie));
            }
            stored.add(new Stored(s.keServer().toString(), AddressText.of(s.target().getAddress()), s.target().getPort(),
                    base64.encodeToString(s.c2sKey()), base64.encodeToString(s.s2cKey()), cookies,
                    s.establishedUnixNanos()));
        }
        try {
            byte[] content = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Document(VERSION, stored));
            synchronized (this) {
                if (!swept) {
                    // A killed writer's temporary files hold keys too.
                    swept = true;
                    AtomicFile.sweep(file);
                }
                // Keys and cookies: owner-only before the rename, so never readable by others.
                AtomicFile.write(file, content, AtomicFile.OWNER_ONLY);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            log.warn("cannot keep NTS sessions in {}: {}", file, e.toString());
        }
    }
}
