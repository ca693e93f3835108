package io.timesync.agent;

import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.testing.Loopback;
import io.timesync.testing.ScriptedNtpServer;

import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A few real UDP servers on loopback serving the local time plus an offset the test sets; they can fall silent.
 * Their replies carry a root delay and a root dispersion of 3.9 ms each, so a skew must exceed about 6 ms
 * to be told from noise ({@link io.timesync.correct.CorrectionPolicy#uncertaintyNanos}).
 */
final class TimeServers implements AutoCloseable {

    /** 65535 s in NTP short format. */
    static final int ABSURD_ROOT = 0xFFFF0000;

    final AtomicLong offsetNanos = new AtomicLong();
    final AtomicBoolean silent = new AtomicBoolean();
    /** When set, the replies claim stratum 1 with a root delay and dispersion of 65535 s each. */
    final AtomicBoolean absurd = new AtomicBoolean();
    final List<ScriptedNtpServer> servers = new ArrayList<>();

    TimeServers(int count) throws SocketException {
        for (int i = 0; i < count; i++) {
            servers.add(new ScriptedNtpServer(Loopback.ipv4(), (n, request, client, socket) -> {
                if (!silent.get()) {
                    long now = TimeSource.system().wallClockNanos() + offsetNanos.get();
                    ScriptedNtpServer.send(socket, absurd.get()
                            ? ScriptedNtpServer.reply(request, NtpTimestamp.fromUnixNanos(now), 1, ABSURD_ROOT, ABSURD_ROOT)
                            : ScriptedNtpServer.reply(request, NtpTimestamp.fromUnixNanos(now)), client);
                }
            }));
        }
    }

    List<ServerAddress> addresses() {
        return servers.stream().map(s -> new ServerAddress("127.0.0.1", s.port())).toList();
    }

    int requests() {
        return servers.stream().mapToInt(ScriptedNtpServer::requests).sum();
    }

    @Override
    public void close() throws InterruptedException {
        for (ScriptedNtpServer s : servers) {
            s.close();
        }
    }
}
