package io.timesync.probe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A Linux UDP socket whose datagrams the kernel stamps with {@code CLOCK_REALTIME}, reached through
 * the FFM API: socket, setsockopt, connect, send, poll and recvmsg. A received datagram's control
 * data carries its stamp ({@code SO_TIMESTAMPNS}: {@code SCM_TIMESTAMPNS}, a {@code struct timespec}),
 * taken as it enters the network stack, so T4 no longer includes the time the reading thread takes
 * to wake and run. A sent datagram's stamp ({@code SO_TIMESTAMPING}, software transmit, read from
 * the socket's error queue) is taken as it leaves for the device, so T1 no longer includes the
 * JVM's way from the clock read to the system call. Without both, the loopback delay is mostly the
 * JVM's, and the half of it on one side only biases the offset.
 *
 * <p>Used only where the struct layouts below are the kernel's: Linux on 64-bit x86 or ARM, and a
 * JVM that lets this code call native functions ({@code --enable-native-access}, which the CLI's
 * jar grants itself), so that a library user never sees the JVM's warning about it. Confined to the
 * thread that opened it, as an exchange is.
 */
final class KernelTimestampSocket implements ExchangeSocket {

    /** The native path cannot be used here: not Linux, not allowed, or the kernel refused the option. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(KernelTimestampSocket.class);

    // <sys/socket.h>, <asm-generic/socket.h>, <poll.h>, <errno.h> on Linux x86-64 and AArch64.
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_TIMESTAMPNS = 35;
    private static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
    private static final int SO_TIMESTAMPING = 37;
    private static final int SCM_TIMESTAMPING = SO_TIMESTAMPING;
    // SOF_TIMESTAMPING_TX_SOFTWARE | SOFTWARE | OPT_TSONLY: software transmit stamps, reported
    // without a copy of the datagram.
    private static final int TX_STAMPING = (1 << 1) | (1 << 4) | (1 << 11);
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_ERRQUEUE = 0x2000;
    private static final short POLLERR = 8;
    private static final short POLLIN = 1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ECONNREFUSED = 111;
    private static final Set<String> MACHINES = Set.of("x86_64", "aarch64");

    // struct sockaddr_in6 (28 bytes) holds either family's address.
    private static final int SOCKADDR_IN = 16;
    private static final int SOCKADDR_IN6 = 28;
    // struct msghdr: name, namelen, iov, iovlen, control, controllen, flags.
    private static final int MSGHDR = 56;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    // struct cmsghdr: len (size_t), level, type, then the data, 8-byte aligned.
    private static final int CMSG_HEADER = 16;
    private static final int TIMESPEC = 16;
    // Room for the timestamp and any other control message the kernel adds.
    private static final int CONTROL = 256;
    private static final int MAX_DATAGRAM = 4096;
    // A signal can interrupt poll and send; a few retries outlast any burst of them.
    private static final int INTERRUPTED_RETRIES = 3;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Natives NATIVES = Natives.load();

    private final Arena arena;
    private final int fd;
    private final MemorySegment state;
    private final MemorySegment out;
    private final MemorySegment in;
    private final MemorySegment control;
    private final MemorySegment message;
    private final MemorySegment pollFd;
    private long received = NO_TIMESTAMP;
    private long sent = NO_TIMESTAMP;
    private boolean closed;

    /** Whether sockets can be opened here; says why not at debug, once. */
    static boolean available() {
        if (NATIVES.reason != null) {
            log.debug("kernel receive timestamps unavailable: {}", NATIVES.reason);
        }
        return NATIVES.reason == null;
    }

    /**
     * A socket connected to {@code target}.
     *
     * @throws Unavailable when the native path does not work here (use the JDK's sockets)
     * @throws IOException when the network refuses (as the JDK's socket would)
     */
    static KernelTimestampSocket open(InetSocketAddress target) throws IOException, Unavailable {
        if (NATIVES.reason != null) {
            throw new Unavailable(NATIVES.reason);
        }
        Arena arena = Arena.ofConfined();
        try {
            return new KernelTimestampSocket(arena, target);
        } catch (IOException | Unavailable | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private KernelTimestampSocket(Arena arena, InetSocketAddress target) throws IOException, Unavailable {
        this.arena = arena;
        state = arena.allocate(CALL_STATE);
        boolean v6 = target.getAddress() instanceof Inet6Address;
        int socket = NATIVES.socket(state, v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (socket < 0) {
            throw failure("socket", errno());
        }
        fd = socket;
        try {
            MemorySegment one = arena.allocate(JAVA_INT);
            one.set(JAVA_INT, 0, 1);
            if (NATIVES.setsockopt(state, fd, SOL_SOCKET, SO_TIMESTAMPNS, one, (int) JAVA_INT.byteSize()) < 0) {
                throw new Unavailable("setsockopt(SO_TIMESTAMPNS): " + NATIVES.strerror(errno()));
            }
            one.set(JAVA_INT, 0, TX_STAMPING);
            if (NATIVES.setsockopt(state, fd, SOL_SOCKET, SO_TIMESTAMPING, one, (int) JAVA_INT.byteSize()) < 0) {
                throw new Unavailable("setsockopt(SO_TIMESTAMPING): " + NATIVES.strerror(errno()));
            }
            MemorySegment address = socketAddress(arena, target, v6);
            if (NATIVES.connect(state, fd, address, (int) address.byteSize()) < 0) {
                throw failure("connect", errno());
            }
        } catch (IOException | Unavailable | RuntimeException e) {
            NATIVES.close(fd);
            throw e;
        }
        out = arena.allocate(MAX_DATAGRAM, Long.BYTES);
        in = arena.allocate(MAX_DATAGRAM, Long.BYTES);
        control = arena.allocate(CONTROL, Long.BYTES);
        MemorySegment iov = arena.allocate(2L * Long.BYTES, Long.BYTES);
        iov.set(ADDRESS, 0, in);
        iov.set(JAVA_LONG, Long.BYTES, MAX_DATAGRAM);
        message = arena.allocate(MSGHDR, Long.BYTES);
        message.set(ADDRESS, MSG_IOV, iov);
        message.set(JAVA_LONG, MSG_IOVLEN, 1);
        message.set(ADDRESS, MSG_CONTROL, control);
        pollFd = arena.allocate(8, Integer.BYTES);
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, POLLIN);
    }

    @Override
    public void send(byte[] buffer, int length) throws IOException {
        MemorySegment.copy(buffer, 0, out, JAVA_BYTE, 0, length);
        for (int attempt = 0; ; attempt++) {
            if (NATIVES.send(state, fd, out, length, 0) >= 0) {
                // On loopback the stamp is queued before send returns; a device's comes later.
                readSentStamp();
                return;
            }
            int errno = errno();
            if (errno != EINTR || attempt == INTERRUPTED_RETRIES) {
                throw failure("send", errno);
            }
        }
    }

    @Override
    public int poll(byte[] buffer) throws IOException {
        return read(buffer);
    }

    @Override
    public int receive(byte[] buffer, long timeoutNanos) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
        for (int attempt = 0; ; attempt++) {
            pollFd.set(JAVA_SHORT, 6, (short) 0);
            int ready = NATIVES.poll(state, pollFd, 1, millis);
            if (ready > 0) {
                // A transmit stamp still queued wakes poll too (POLLERR); so does a pending error (an
                // ICMP port unreachable), which read reports.
                if ((pollFd.get(JAVA_SHORT, 6) & POLLERR) != 0) {
                    readSentStamp();
                }
                int length = read(buffer);
                return length == NONE ? AGAIN : length;
            }
            if (ready == 0) {
                return NONE;
            }
            int errno = errno();
            if (errno != EINTR || attempt == INTERRUPTED_RETRIES) {
                throw failure("poll", errno);
            }
        }
    }

    /** Takes the transmit stamp from the error queue if it is there. */
    private void readSentStamp() {
        message.set(JAVA_LONG, MSG_CONTROLLEN, CONTROL);
        if (NATIVES.recvmsg(state, fd, message, MSG_ERRQUEUE | MSG_DONTWAIT) >= 0) {
            long stamp = timestamp(message.get(JAVA_LONG, MSG_CONTROLLEN), SCM_TIMESTAMPING);
            if (stamp != NO_TIMESTAMP) {
                sent = stamp;
            }
        }
    }

    /** One non-blocking recvmsg: the datagram's length and its stamp, or {@link #NONE}. */
    private int read(byte[] buffer) throws IOException {
        message.set(JAVA_LONG, MSG_CONTROLLEN, CONTROL);
        long length = NATIVES.recvmsg(state, fd, message, MSG_DONTWAIT);
        if (length < 0) {
            int errno = errno();
            if (errno == EAGAIN || errno == EINTR) {
                return NONE;
            }
            throw failure("recvmsg", errno);
        }
        received = timestamp(message.get(JAVA_LONG, MSG_CONTROLLEN), SCM_TIMESTAMPNS);
        int copied = (int) Math.min(length, buffer.length);
        MemorySegment.copy(in, JAVA_BYTE, 0, buffer, 0, copied);
        return copied;
    }

    /**
     * The stamp of type {@code type} among the first {@code length} bytes of control messages, or
     * {@link #NO_TIMESTAMP}: the {@code timespec} of {@code SCM_TIMESTAMPNS}, or the first (software)
     * of the three of {@code SCM_TIMESTAMPING}.
     */
    private long timestamp(long length, int type) {
        long at = 0;
        while (at + CMSG_HEADER <= length) {
            long size = control.get(JAVA_LONG, at);
            if (size < CMSG_HEADER || at + size > length) {
                break;
            }
            if (control.get(JAVA_INT, at + 8) == SOL_SOCKET && control.get(JAVA_INT, at + 12) == type
                    && size >= CMSG_HEADER + TIMESPEC) {
                long seconds = control.get(JAVA_LONG, at + CMSG_HEADER);
                long nanos = control.get(JAVA_LONG, at + CMSG_HEADER + Long.BYTES);
                return seconds * 1_000_000_000L + nanos;
            }
            at += (size + Long.BYTES - 1) & -Long.BYTES;
        }
        return NO_TIMESTAMP;
    }

    @Override
    public boolean stampsReceipts() {
        return true;
    }

    @Override
    public long receivedRealtimeNanos() {
        return received;
    }

    @Override
    public long sentRealtimeNanos() {
        if (sent == NO_TIMESTAMP) {
            readSentStamp();
        }
        return sent;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            NATIVES.close(fd);
            arena.close();
        }
    }

    private int errno() {
        return (int) ERRNO.get(state, 0L);
    }

    private static IOException failure(String call, int errno) {
        String text = call + ": " + NATIVES.strerror(errno);
        return errno == ECONNREFUSED ? new PortUnreachableException(text) : new IOException(text);
    }

    /** {@code struct sockaddr_in} or {@code sockaddr_in6}: family in host order, port in network order. */
    private static MemorySegment socketAddress(Arena arena, InetSocketAddress target, boolean v6) {
        MemorySegment address = arena.allocate(v6 ? SOCKADDR_IN6 : SOCKADDR_IN, Long.BYTES);
        address.set(JAVA_SHORT, 0, (short) (v6 ? AF_INET6 : AF_INET));
        address.set(JAVA_BYTE, 2, (byte) (target.getPort() >>> 8));
        address.set(JAVA_BYTE, 3, (byte) target.getPort());
        byte[] bytes = target.getAddress().getAddress();
        MemorySegment.copy(bytes, 0, address, JAVA_BYTE, v6 ? 8 : 4, bytes.length);
        if (v6) {
            address.set(JAVA_INT, 24, ((Inet6Address) target.getAddress()).getScopeId());
        }
        return address;
    }

    /** The C library functions, or why they cannot be used here. */
    private static final class Natives {
        final String reason;
        private final MethodHandle socket;
        private final MethodHandle setsockopt;
        private final MethodHandle connect;
        private final MethodHandle send;
        private final MethodHandle recvmsg;
        private final MethodHandle poll;
        private final MethodHandle close;
        private final MethodHandle strerror;

        private Natives(String reason, MethodHandle socket, MethodHandle setsockopt, MethodHandle connect,
                        MethodHandle send, MethodHandle recvmsg, MethodHandle poll, MethodHandle close,
                        MethodHandle strerror) {
            this.reason = reason;
            this.socket = socket;
            this.setsockopt = setsockopt;
            this.connect = connect;
            this.send = send;
            this.recvmsg = recvmsg;
            this.poll = poll;
            this.close = close;
            this.strerror = strerror;
        }

        private static Natives unavailable(String reason) {
            return new Natives(reason, null, null, null, null, null, null, null, null);
        }

        static Natives load() {
            try {
                if (!KernelTimestampSocket.class.getModule().isNativeAccessEnabled()) {
                    return unavailable("native access is not enabled for TimeSync (java --enable-native-access="
                            + moduleName() + ")");
                }
                if (ADDRESS.byteSize() != Long.BYTES) {
                    return unavailable("not a 64-bit JVM");
                }
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                String system = system(linker, libc);
                if (system != null) {
                    return unavailable(system);
                }
                return new Natives(null,
                        handle(linker, libc, "socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno),
                        handle(linker, libc, "setsockopt",
                                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno),
                        handle(linker, libc, "connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno),
                        handle(linker, libc, "send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), errno),
                        handle(linker, libc, "recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), errno),
                        handle(linker, libc, "poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), errno),
                        handle(linker, libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT)),
                        handle(linker, libc, "strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT)));
            } catch (RuntimeException | LinkageError e) {
                return unavailable(e.toString());
            }
        }

        private static String moduleName() {
            Module module = KernelTimestampSocket.class.getModule();
            return module.isNamed() ? module.getName() : "ALL-UNNAMED";
        }

        /** Null on Linux on a machine whose layouts these are, else why not; asked of uname(2), not the JVM's idea of the OS. */
        private static String system(Linker linker, SymbolLookup libc) {
            if (libc.find("uname").isEmpty()) {
                return "no uname(2): not a POSIX system";
            }
            MethodHandle uname = handle(linker, libc, "uname", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            try (Arena arena = Arena.ofConfined()) {
                // struct utsname: sysname first on every system; Linux's fields are 65 bytes each.
                MemorySegment names = arena.allocate(4096);
                if ((int) uname.invokeExact(names) != 0) {
                    return "uname(2) failed";
                }
                String sysname = names.getString(0);
                String machine = names.getString(4 * 65);
                if (!sysname.equals("Linux")) {
                    return "not Linux: " + sysname;
                }
                return MACHINES.contains(machine) ? null : "Linux on " + machine + ", whose socket layouts are not known here";
            } catch (Throwable e) {
                return "uname(2) failed: " + e;
            }
        }

        private static MethodHandle handle(Linker linker, SymbolLookup libc, String name, FunctionDescriptor descriptor,
                                           Linker.Option... options) {
            MemorySegment symbol = libc.find(name).orElseThrow(() -> new IllegalStateException("no " + name + " in the C library"));
            return linker.downcallHandle(symbol, descriptor, options);
        }

        int socket(MemorySegment state, int domain, int type, int protocol) {
            try {
                return (int) socket.invokeExact(state, domain, type, protocol);
            } catch (Throwable e) {
                throw new IllegalStateException("socket", e);
            }
        }

        int setsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value, int length) {
            try {
                return (int) setsockopt.invokeExact(state, fd, level, name, value, length);
            } catch (Throwable e) {
                throw new IllegalStateException("setsockopt", e);
            }
        }

        int connect(MemorySegment state, int fd, MemorySegment address, int length) {
            try {
                return (int) connect.invokeExact(state, fd, address, length);
            } catch (Throwable e) {
                throw new IllegalStateException("connect", e);
            }
        }

        long send(MemorySegment state, int fd, MemorySegment buffer, long length, int flags) {
            try {
                return (long) send.invokeExact(state, fd, buffer, length, flags);
            } catch (Throwable e) {
                throw new IllegalStateException("send", e);
            }
        }

        long recvmsg(MemorySegment state, int fd, MemorySegment message, int flags) {
            try {
                return (long) recvmsg.invokeExact(state, fd, message, flags);
            } catch (Throwable e) {
                throw new IllegalStateException("recvmsg", e);
            }
        }

        int poll(MemorySegment state, MemorySegment fds, long count, int millis) {
            try {
                return (int) poll.invokeExact(state, fds, count, millis);
            } catch (Throwable e) {
                throw new IllegalStateException("poll", e);
            }
        }

        void close(int fd) {
            try {
                int ignored = (int) close.invokeExact(fd);
            } catch (Throwable e) {
                throw new IllegalStateException("close", e);
            }
        }

        String strerror(int errno) {
            try {
                MemorySegment text = (MemorySegment) strerror.invokeExact(errno);
                return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(256).getString(0);
            } catch (Throwable e) {
                return "errno " + errno;
            }
        }
    }
}
