package io.timesync.nts;

import io.timesync.time.ServerAddress;
import io.timesync.files.AtomicFile;
import io.timesync.files.RegularFile;
import io.timesync.probe.AddressText;
import io.timesync.text.Printable;
import io.timesync.text.SmallJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps NTS sessions (keys, cookies, negotiated server) in one JSON file across runs, so that a
 * periodic agent does not run key establishment every time. The keys are secrets: the file is
 * written atomically and readable by its owner only; a file that others may read is not trusted
 * and is ignored, as is a corrupt one, a link, anything but a regular file, or one over a megabyte
 * (key establishment simply runs again).
 */
public final class NtsSessionStore {

    private static final Logger log = LoggerFactory.getLogger(NtsSessionStore.class);
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
            Map<String, Object> document = SmallJson.parseObject(new String(RegularFile.read(file, MAX_BYTES), StandardCharsets.UTF_8));
            if (!Long.valueOf(VERSION).equals(document.get("version")) || !(document.get("sessions") instanceof List<?> stored)) {
                return List.of();
            }
            List<NtsSession> sessions = new ArrayList<>();
            Base64.Decoder base64 = Base64.getDecoder();
            for (Object element : stored) {
                if (!(element instanceof Map<?, ?> s)) {
                    throw new IllegalArgumentException("a session that is not an object");
                }
                List<byte[]> cookies = new ArrayList<>();
                for (Object cookie : field(s, "cookies", List.class)) {
                    cookies.add(base64.decode((String) cookie));
                }
                // The address was stored as a literal: parsed, never looked up.
                InetAddress address = InetAddress.getByName(field(s, "address", String.class));
                sessions.add(new NtsSession(ServerAddress.parse(field(s, "keServer", String.class), NtsKeClient.DEFAULT_PORT),
                        new InetSocketAddress(address, Math.toIntExact(field(s, "port", Long.class))),
                        base64.decode(field(s, "c2sKey", String.class)), base64.decode(field(s, "s2cKey", String.class)),
                        cookies, field(s, "establishedUnixNanos", Long.class)));
            }
            return sessions;
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            log.warn("ignoring unreadable NTS sessions file {}: {}", file, Printable.of(message));
            return List.of();
        }
    }

    /** Replaces the file with {@code sessions}; a failure is logged (the sessions just are not kept). */
    public void save(List<NtsSession> sessions) {
        Base64.Encoder base64 = Base64.getEncoder();
        List<Object> stored = new ArrayList<>(sessions.size());
        for (NtsSession s : sessions) {
            List<Object> cookies = new ArrayList<>();
            for (byte[] cookie : s.cookies()) {
                cookies.add(base64.encodeToString(cookie));
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("keServer", s.keServer().toString());
            fields.put("address", AddressText.of(s.target().getAddress()));
            fields.put("port", (long) s.target().getPort());
            fields.put("c2sKey", base64.encodeToString(s.c2sKey()));
            fields.put("s2cKey", base64.encodeToString(s.s2cKey()));
            fields.put("cookies", cookies);
            fields.put("establishedUnixNanos", s.establishedUnixNanos());
            stored.add(fields);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("version", (long) VERSION);
        document.put("sessions", stored);
        try {
            byte[] content = (SmallJson.write(document) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (this) {
                if (!swept) {
                    // A killed writer's temporary files hold keys too.
                    swept = true;
                    AtomicFile.sweep(file);
                }
                // Keys and cookies: owner-only before the rename, so never readable by others.
                AtomicFile.write(file, content, AtomicFile.OWNER_ONLY);
            }
        } catch (IOException e) {
            log.warn("cannot keep NTS sessions in {}: {}", file, e.toString());
        }
    }

    private static <T> T field(Map<?, ?> fields, String name, Class<T> type) {
        Object value = fields.get(name);
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("a session without " + name);
        }
        return type.cast(value);
    }
}
