package io.timesync.nts;

import io.timesync.ntp.NtpReply;
import io.timesync.ntp.ReplyStatus;
import io.timesync.probe.ExchangeCodec;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * NTS-protected NTPv4 for {@link io.timesync.probe.UdpProbe}: each request spends one cookie of the
 * session and asks, with placeholders, for as many as the jar lacks; each reply must echo the
 * request's fresh random unique identifier and verify with the session's key, or it is ignored.
 * A NAK rejects the session.
 *
 * <p>Not thread-safe: one per probe, like the probe itself.
 */
final class NtsExchange implements ExchangeCodec {

    private final NtsSession session;
    private final RandomGenerator random;
    private final byte[] uniqueIdentifier = new byte[NtsExtensionFields.UNIQUE_IDENTIFIER_LENGTH];
    private final byte[] nonce = new byte[NtsExtensionFields.NONCE_LENGTH];

    NtsExchange(NtsSession session, RandomGenerator random) {
        this.session = Objects.requireNonNull(session, "session");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public int writeRequest(byte[] buffer, long requestTimestamp) {
        byte[] cookie = session.takeCookie();
        if (cookie == null) {
            return -1;
        }
        // After this request the jar holds cookieCount(); the reply brings one per cookie and placeholder.
        int placeholders = Math.max(0, NtsSession.JAR_SIZE - 1 - session.cookieCount());
        if (NtsExtensionFields.requestLength(cookie.length, placeholders) > buffer.length) {
            placeholders = 0;
        }
        random.nextBytes(uniqueIdentifier);
        random.nextBytes(nonce);
        return NtsExtensionFields.writeRequest(buffer, requestTimestamp, uniqueIdentifier, cookie, placeholders, nonce,
                session.c2s());
    }

    @Override
    public ReplyStatus readReply(byte[] buffer, int length, long requestTimestamp) {
        ReplyStatus status = NtpReply.checkFormat(buffer, 0, length);
        if (!status.isOk()) {
            return status;
        }
        status = NtsExtensionFields.checkReply(buffer, length, uniqueIdentifier, session.s2c(),
                session::addCookie, requestTimestamp);
        if (status == ReplyStatus.KISS_OF_DEATH && NtsExtensionFields.isNak(NtpReply.referenceId(buffer, 0))) {
            session.reject();
        }
        return status;
    }

    @Override
    public boolean authenticates() {
        return true;
    }

    @Override
    public String unavailable() {
        return "no NTS cookie left for " + session.keServer() + " (key establishment must run again)";
    }
}
