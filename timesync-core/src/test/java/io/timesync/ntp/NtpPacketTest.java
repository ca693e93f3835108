package io.timesync.ntp;

import org.apache.commons.net.ntp.NtpV3Impl;
import org.apache.commons.net.ntp.NtpV3Packet;
import org.apache.commons.net.ntp.TimeStamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.DatagramPacket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class NtpPacketTest {

    private final NtpPacket packet = new NtpPacket();

    @Test
    void requestCarriesOnlyVersionModeAndTransmitTimestamp() {
        byte[] buffer = new byte[60];
        Arrays.fill(buffer, (byte) 0x5A);
        long xmt = 0xEB01_0203_0405_0607L;
        assertThat(NtpPacket.encodeRequest(buffer, 4, xmt)).isEqualTo(48);
        assertThat(buffer[4]).isEqualTo((byte) 0x23);
        for (int i = 5; i < 44; i++) {
            assertThat(buffer[i]).as("byte %d", i).isZero();
        }
        assertThat(ByteBuffer.wrap(buffer, 44, 8).getLong()).isEqualTo(xmt);
        assertThat(buffer[3]).isEqualTo((byte) 0x5A);
        assertThat(buffer[52]).isEqualTo((byte) 0x5A);
    }

    @Test
    void commonsNetReadsOurRequest() {
        byte[] buffer = new byte[48];
        long xmt = NtpPacket.requestTimestamp(NtpTimestamp.fromUnixNanos(1_795_320_938_082_121_020L), 0x1234_5678);
        NtpPacket.encodeRequest(buffer, 0, xmt);
        NtpV3Impl theirs = new NtpV3Impl();
        theirs.setDatagramPacket(new DatagramPacket(buffer, buffer.length));
        assertThat(theirs.getMode()).isEqualTo(NtpV3Packet.MODE_CLIENT);
        assertThat(theirs.getVersion()).isEqualTo(4);
        assertThat(theirs.getLeapIndicator()).isZero();
        assertThat(theirs.getStratum()).isZero();
        assertThat(theirs.getTransmitTimeStamp().ntpValue()).isEqualTo(xmt);
        assertThat(theirs.getOriginateTimeStamp().ntpValue()).isZero();
        assertThat(theirs.getReceiveTimeStamp().ntpValue()).isZero();
        assertThat(theirs.getReferenceTimeStamp().ntpValue()).isZero();
    }

    @Test
    void requestTimestampKeepsRealSecondsAndRandomFraction() {
        long unixNanos = 1_795_320_938_999_999_999L;
        long ts = NtpPacket.requestTimestamp(NtpTimestamp.fromUnixNanos(unixNanos), 0xCAFE_BABE);
        assertThat(NtpTimestamp.seconds(ts)).isEqualTo(NtpTimestamp.seconds(NtpTimestamp.fromUnixNanos(unixNanos)));
        assertThat(NtpTimestamp.fraction(ts)).isEqualTo(0xCAFE_BABEL);
    }

    @Test
    void decodesEveryFieldCommonsNetEncodes() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 5_000; i++) {
            NtpV3Impl theirs = new NtpV3Impl();
            theirs.setLeapIndicator(random.nextInt(4));
            theirs.setVersion(random.nextInt(8));
            theirs.setMode(random.nextInt(8));
            theirs.setStratum(random.nextInt(256));
            theirs.setPoll(random.nextInt(-128, 128));
            theirs.setPrecision(random.nextInt(-128, 128));
            theirs.setRootDelay(random.nextInt());
            theirs.setRootDispersion(random.nextInt());
            theirs.setReferenceId(random.nextInt());
            theirs.setReferenceTime(new TimeStamp(random.nextLong()));
            theirs.setOriginateTimeStamp(new TimeStamp(random.nextLong()));
            theirs.setReceiveTimeStamp(new TimeStamp(random.nextLong()));
            theirs.setTransmitTime(new TimeStamp(random.nextLong()));
            DatagramPacket datagram = theirs.getDatagramPacket();

            assertThat(packet.decode(datagram.getData(), 0, datagram.getLength())).isEqualTo(ReplyStatus.OK);
            assertThat(packet.leap()).isEqualTo(theirs.getLeapIndicator());
            assertThat(packet.version()).isEqualTo(theirs.getVersion());
            assertThat(packet.mode()).isEqualTo(theirs.getMode());
            assertThat(packet.stratum()).isEqualTo(theirs.getStratum());
            assertThat(packet.poll()).isEqualTo(theirs.getPoll());
            assertThat(packet.precision()).isEqualTo(theirs.getPrecision());
            assertThat(packet.rootDelay()).isEqualTo(theirs.getRootDelay());
            assertThat(packet.rootDispersion()).isEqualTo(theirs.getRootDispersion());
            assertThat(packet.referenceId()).isEqualTo(theirs.getReferenceId());
            assertThat(packet.referenceTimestamp()).isEqualTo(theirs.getReferenceTimeStamp().ntpValue());
            assertThat(packet.originTimestamp()).isEqualTo(theirs.getOriginateTimeStamp().ntpValue());
            assertThat(packet.receiveTimestamp()).isEqualTo(theirs.getReceiveTimeStamp().ntpValue());
            assertThat(packet.transmitTimestamp()).isEqualTo(theirs.getTransmitTimeStamp().ntpValue());
            assertThat(packet.extensionFieldCount()).isZero();
        }
    }

    @Test
    void rootDelayAndDispersionMatchCommonsNetInNanoseconds() {
        NtpV3Impl theirs = new NtpV3Impl();
        theirs.setRootDelay(0x0000_0A00);
        theirs.setRootDispersion(0x0001_8000);
        DatagramPacket d = theirs.getDatagramPacket();
        packet.decode(d.getData(), 0, d.getLength());
        assertThat(NtpTimestamp.shortToNanos(packet.rootDelay()) / 1e6).isCloseTo(theirs.getRootDelayInMillisDouble(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(NtpTimestamp.shortToNanos(packet.rootDispersion()) / 1e6).isCloseTo(theirs.getRootDispersionInMillisDouble(), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void validReplyPasses() {
        byte[] reply = Replies.valid().array();
        assertThat(packet.decodeReply(reply, 0, reply.length, Replies.ORIGIN)).isEqualTo(ReplyStatus.OK);
        assertThat(packet.stratum()).isEqualTo(2);
        assertThat(packet.poll()).isEqualTo(6);
        assertThat(packet.precision()).isEqualTo(-23);
    }

    @Test
    void decodesAtAnOffsetInsideALargerBuffer() {
        byte[] reply = Replies.valid().array();
        byte[] big = new byte[100];
        System.arraycopy(reply, 0, big, 7, 48);
        assertThat(packet.decodeReply(big, 7, 48, Replies.ORIGIN)).isEqualTo(ReplyStatus.OK);
        assertThat(packet.transmitTimestamp()).isEqualTo(Replies.TRANSMIT);
    }

    @Test
    void eachInvalidFieldGivesItsOwnOutcome() {
        long o = Replies.ORIGIN;
        long r = Replies.RECEIVE;
        long x = Replies.TRANSMIT;
        assertThat(check(Replies.header(0, 4, 4, 2, o, r, x).array(), 47)).isEqualTo(ReplyStatus.TOO_SHORT);
        assertThat(check(Replies.header(0, 4, 4, 2, o, r, x).array(), 0)).isEqualTo(ReplyStatus.TOO_SHORT);
        assertThat(check(Replies.header(0, 2, 4, 2, o, r, x))).isEqualTo(ReplyStatus.UNSUPPORTED_VERSION);
        assertThat(check(Replies.header(0, 5, 4, 2, o, r, x))).isEqualTo(ReplyStatus.UNSUPPORTED_VERSION);
        assertThat(check(Replies.header(0, 3, 4, 2, o, r, x))).isEqualTo(ReplyStatus.OK);
        assertThat(check(Replies.header(0, 4, 3, 2, o, r, x))).isEqualTo(ReplyStatus.WRONG_MODE);
        assertThat(check(Replies.header(0, 4, 5, 2, o, r, x))).isEqualTo(ReplyStatus.WRONG_MODE);
        assertThat(check(Replies.header(0, 4, 4, 2, o + 1, r, x))).isEqualTo(ReplyStatus.ORIGIN_MISMATCH);
        assertThat(check(Replies.header(0, 4, 4, 2, 0, r, x))).isEqualTo(ReplyStatus.ORIGIN_MISMATCH);
        assertThat(check(Replies.header(0, 4, 4, 2, o, r, 0))).isEqualTo(ReplyStatus.ZERO_TRANSMIT);
        assertThat(check(Replies.header(3, 4, 4, 0, o, r, x))).isEqualTo(ReplyStatus.KISS_OF_DEATH);
        assertThat(check(Replies.header(3, 4, 4, 2, o, r, x))).isEqualTo(ReplyStatus.UNSYNCHRONIZED);
        assertThat(check(Replies.header(0, 4, 4, 16, o, r, x))).isEqualTo(ReplyStatus.STRATUM_TOO_HIGH);
        assertThat(check(Replies.header(0, 4, 4, 15, o, r, x))).isEqualTo(ReplyStatus.OK);
        assertThat(check(Replies.header(0, 4, 4, 2, o, 0, x))).isEqualTo(ReplyStatus.ZERO_RECEIVE);
        assertThat(check(Replies.header(0, 4, 4, 2, o, x, r))).isEqualTo(ReplyStatus.TRANSMIT_BEFORE_RECEIVE);
        assertThat(check(Replies.header(1, 4, 4, 2, o, r, r))).isEqualTo(ReplyStatus.OK);
    }

    @Test
    void spoofedKissIsNotBelieved() {
        // A stratum-0 packet whose origin does not match is a forgery, not a kiss.
        assertThat(check(Replies.header(3, 4, 4, 0, Replies.ORIGIN ^ 1, Replies.RECEIVE, Replies.TRANSMIT)))
                .isEqualTo(ReplyStatus.ORIGIN_MISMATCH);
    }

    @Test
    void kissCodeIsReadFromTheReferenceId() {
        ByteBuffer b = Replies.header(3, 4, 4, 0, Replies.ORIGIN, Replies.RECEIVE, Replies.TRANSMIT);
        b.putInt(12, 0x44454E59);
        assertThat(check(b)).isEqualTo(ReplyStatus.KISS_OF_DEATH);
        assertThat(KissCode.of(packet.referenceId())).isEqualTo(KissCode.DENY);
    }

    @Test
    void transmitAfterReceiveAcrossTheEraIsAccepted() {
        long receive = 0xFFFF_FFFF_F000_0000L;
        long transmit = 0x0000_0000_1000_0000L;
        assertThat(check(Replies.header(0, 4, 4, 2, Replies.ORIGIN, receive, transmit))).isEqualTo(ReplyStatus.OK);
    }

    @Test
    void extensionFieldsAndMacsAreLengthCheckedAndSkipped() {
        ByteBuffer h = Replies.valid();
        assertThat(check(Replies.withTrailer(h, Replies.extension(28)))).isEqualTo(ReplyStatus.OK);
        assertThat(packet.extensionFieldCount()).isEqualTo(1);
        assertThat(packet.macLength()).isZero();

        assertThat(check(Replies.withTrailer(h, Replies.concat(Replies.extension(16), Replies.extension(36), new byte[20]))))
                .isEqualTo(ReplyStatus.OK);
        assertThat(packet.extensionFieldCount()).isEqualTo(2);
        assertThat(packet.extensionLength()).isEqualTo(52);
        assertThat(packet.macLength()).isEqualTo(20);

        assertThat(check(Replies.withTrailer(h, new byte[24]))).isEqualTo(ReplyStatus.OK);
        assertThat(packet.macLength()).isEqualTo(24);
        assertThat(check(Replies.withTrailer(h, new byte[4]))).isEqualTo(ReplyStatus.OK);
        assertThat(packet.macLength()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8, 12, 13})
    void trailersThatAreNeitherFieldNorMacAreMalformed(int length) {
        assertThat(check(Replies.withTrailer(Replies.valid(), new byte[length]))).isEqualTo(ReplyStatus.MALFORMED_EXTENSION);
    }

    @Test
    void extensionLengthsThatLieAreMalformed() {
        ByteBuffer h = Replies.valid();
        byte[] tooLong = Replies.extension(28);
        tooLong[3] = 32;
        assertThat(check(Replies.withTrailer(h, tooLong))).isEqualTo(ReplyStatus.MALFORMED_EXTENSION);
        byte[] notMultipleOf4 = Replies.concat(Replies.extension(28), new byte[2]);
        notMultipleOf4[3] = 30;
        assertThat(check(Replies.withTrailer(h, notMultipleOf4))).isEqualTo(ReplyStatus.MALFORMED_EXTENSION);
        byte[] tooShort = Replies.extension(28);
        tooShort[3] = 12;
        assertThat(check(Replies.withTrailer(h, tooShort))).isEqualTo(ReplyStatus.MALFORMED_EXTENSION);
        byte[] zero = Replies.extension(28);
        zero[3] = 0;
        assertThat(check(Replies.withTrailer(h, zero))).isEqualTo(ReplyStatus.MALFORMED_EXTENSION);
    }

    private ReplyStatus check(ByteBuffer reply) {
        return check(reply.array(), reply.capacity());
    }

    private ReplyStatus check(byte[] reply) {
        return check(reply, reply.length);
    }

    private ReplyStatus check(byte[] reply, int length) {
        return packet.decodeReply(reply, 0, length, Replies.ORIGIN);
    }
}
