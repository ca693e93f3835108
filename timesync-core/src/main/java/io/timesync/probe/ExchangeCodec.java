package io.timesync.probe;

import io.timesync.ntp.NtpPacket;
import io.timesync.ntp.NtpReply;
import io.timesync.ntp.ReplyStatus;

/**
 * What a request carries and what makes its reply believable: plain NTPv4 ({@link #PLAIN}) or NTS
 * (RFC 8915, in the {@code timesync-nts} artifact). {@link UdpProbe} owns the socket and the clocks; the codec
 * owns the bytes.
 */
public interface ExchangeCodec {

    /** The largest request any codec writes. */
    int MAX_REQUEST = 4096;

    /**
     * Writes a request whose transmit timestamp is {@code requestTimestamp} into {@code buffer}
     * (at least {@link #MAX_REQUEST} bytes).
     *
     * @return its length, or -1 when no request can be made now (see {@link #unavailable()})
     */
    int writeRequest(byte[] buffer, long requestTimestamp);

    /**
     * Decodes {@code buffer[0..length)} into {@code packet} and checks it as the reply to the last
     * request written. {@link ReplyStatus#isUnproven()} statuses make the probe keep waiting.
     */
    ReplyStatus readReply(byte[] buffer, int length, long requestTimestamp);

    /** Whether the samples this codec accepts are cryptographically authenticated. */
    boolean authenticates();

    /** Why {@link #writeRequest} returned -1. */
    default String unavailable() {
        return "no request can be made";
    }

    /** Plain NTPv4: a bare 48-byte header with a random transmit timestamp, checked by {@link NtpReply#check}. */
    ExchangeCodec PLAIN = new ExchangeCodec() {
        @Override
        public int writeRequest(byte[] buffer, long requestTimestamp) {
            return NtpPacket.encodeRequest(buffer, 0, requestTimestamp);
        }

        @Override
        public ReplyStatus readReply(byte[] buffer, int length, long requestTimestamp) {
            return NtpReply.check(buffer, 0, length, requestTimestamp);
        }

        @Override
        public boolean authenticates() {
            return false;
        }
    };
}
