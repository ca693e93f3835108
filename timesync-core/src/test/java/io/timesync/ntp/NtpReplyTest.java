package io.timesync.ntp;

import org.apache.commons.net.ntp.NtpV3Impl;
import org.apache.commons.net.ntp.TimeStamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.DatagramPacket;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class NtpReplyTest {

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
            byte[] data = datagram.getData();

            assertThat(NtpReply.checkFormat(datagram.getData(), 0, datagram.getLength())).isEqualTo(ReplyStatus.OK);
            assertThat(NtpReply.leap(data, 0)).isEqualTo(theirs.getLeapIndicator());
            assertThat(NtpReply.version(data, 0)).isEqualTo(theirs.getVersion());
            assertThat(NtpReply.mode(data, 0)).isEqualTo(theirs.getMode());
            assertThat(NtpReply.stratum(data, 0)).isEqualTo(theirs.getStratum());
            assertThat(NtpReply.poll(data, 0)).isEqualTo(theirs.getPoll());
            assertThat(NtpReply.precision(data, 0)).isEqualTo(theirs.getPrecision());
            assertThat(NtpReply.rootDelay(data, 0)).isEqualTo(theirs.getRootDelay());
            assertThat(NtpReply.rootDispersion(data, 0)).isEqualTo(theirs.getRootDispersion());
            assertThat(NtpReply.referenceId(data, 0)).isEqualTo(theirs.getReferenceId());
            assertThat(NtpReply.referenceTimestamp(data, 0)).isEqualTo(theirs.getReferenceTimeStamp().ntpValue());
            assertThat(NtpReply.originTimestamp(data, 0)).isEqualTo(theirs.getOriginateTimeStamp().ntpValue());
            assertThat(NtpReply.receiveTimestamp(data, 0)).isEqualTo(theirs.getReceiveTimeStamp().ntpValue());
            assertThat(NtpReply.transmitTimestamp(data, 0)).isEqualTo(theirs.getTransmitTimeStamp().ntpValue());
            assertThat(NtpReply.extensionFieldCount(data, 0, datagram.getLength())).isZero();
        }
    }

    @Test
    void rootDelayAndDispersionMatchCommonsNetInNanoseconds() {
        NtpV3Impl theirs = new NtpV3Impl();
        theirs.setRootDelay(0x0000_0A00);
        theirs.setRootDispersion(0x0001_8000);
        DatagramPacket d = theirs.getDatagramPacket();
        assertThat(NtpReply.checkFormat(d.getData(), 0, d.getLength())).isEqualTo(ReplyStatus.OK);
        assertThat(NtpTimestamp.shortToNanos(NtpReply.rootDelay(d.getData(), 0)) / 1e6).isCloseTo(theirs.getRootDelayInMillisDouble(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(NtpTimestamp.shortToNanos(NtpReply.rootDispersion(d.getData(), 0)) / 1e6).isCloseTo(theirs.getRootDispersionInMillisDouble(), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void validReplyPasses() {
        byte[] reply = Replies.valid().array();
        assertThat(NtpReply.check(reply, 0, reply.length, Replies.ORIGIN)).isEqualTo(ReplyStatus.OK);
        assertThat(NtpReply.stratum(reply, 0)).isEqualTo(2);
        assertThat(NtpReply.poll(reply, 0)).isEqualTo(6);
        assertThat(NtpReply.precision(reply, 0)).isEqualTo(-23);
    }

    @Test
    void decodesAtAnOffsetInsideALargerBuffer() {
        byte[] reply = Replies.valid().array();
        byte[] big = new byte[100];
        System.arraycopy(reply, 0, big, 7, 48);
        assertThat(NtpReply.check(big, 7, 48, Replies.ORIGIN)).isEqualTo(ReplyStatus.OK);
        assertThat(NtpReply.transmitTimestamp(big, 7)).isEqualTo(Replies.TRANSMIT);
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
    void quickCheckAgreesWithTheCheckOneAtATime() {
        // A 48-byte reply takes the all-at-once check; the same header with a 4-byte crypto-NAK after
        // it is diagnosed one check at a time. Both must always agree.
        SplittableRandom random = new SplittableRandom(7);
        long[] origins = {Replies.ORIGIN, Replies.ORIGIN ^ 1, 0};
        long[] stamps = {0, 1, Replies.RECEIVE, Replies.TRANSMIT, 0x8000_0000_0000_0000L, 0xFFFF_FFFF_FFFF_FFFFL};
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer h = Replies.header(random.nextInt(4), random.nextInt(8), random.nextInt(8),
                    random.nextBoolean() ? random.nextInt(18) : random.nextInt(256),
                    origins[random.nextInt(origins.length)], stamps[random.nextInt(stamps.length)],
                    stamps[random.nextInt(stamps.length)]);
            byte[] withNak = Replies.withTrailer(h, new byte[4]);
            assertThat(check(h)).as("header %s", HexFormat.of().formatHex(h.array())).isEqualTo(check(withNak));
        }
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
        assertThat(KissCode.of(NtpReply.referenceId(b.array(), 0))).isEqualTo(KissCode.DENY);
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
        byte[] one = Replies.withTrailer(h, Replies.extension(28));
        assertThat(check(one)).isEqualTo(ReplyStatus.OK);
        assertThat(NtpReply.extensionFieldCount(one, 0, one.length)).isEqualTo(1);
        assertThat(NtpReply.macLength(one, 0, one.length)).isZero();

        byte[] two = Replies.withTrailer(h, Replies.concat(Replies.extension(16), Replies.extension(36), new byte[20]));
        assertThat(check(two)).isEqualTo(ReplyStatus.OK);
        assertThat(NtpReply.extensionFieldCount(two, 0, two.length)).isEqualTo(2);
        assertThat(NtpReply.extensionLength(two, 0, two.length)).isEqualTo(52);
        assertThat(NtpReply.macLength(two, 0, two.length)).isEqualTo(20);

        byte[] sha1 = Replies.withTrailer(h, new byte[24]);
        assertThat(check(sha1)).isEqualTo(ReplyStatus.OK);
        assertThat(NtpReply.macLength(sha1, 0, sha1.length)).isEqualTo(24);
        byte[] nak = Replies.withTrailer(h, new byte[4]);
        assertThat(check(nak)).isEqualTo(ReplyStatus.OK);
        assertThat(NtpReply.macLength(nak, 0, nak.length)).isEqualTo(4);
    }

    @Test
    void trailerIsCheckedBeforeTheHeader() {
        byte[] forged = Replies.withTrailer(Replies.header(0, 4, 4, 2, Replies.ORIGIN ^ 1, Replies.RECEIVE, Replies.TRANSMIT), new byte[5]);
        assertThat(check(forged)).isEqualTo(ReplyStatus.MALFORMED_EXTENSION);
        byte[] spoofed = Replies.withTrailer(Replies.header(0, 4, 4, 2, Replies.ORIGIN ^ 1, Replies.RECEIVE, Replies.TRANSMIT), new byte[20]);
        assertThat(check(spoofed)).isEqualTo(ReplyStatus.ORIGIN_MISMATCH);
    }

    @Test
    void readsTheCallersBytesAsTheyAreNow() {
        // A view, not a copy: the accessors see the buffer the caller holds.
        byte[] reply = Replies.valid().array();
        assertThat(check(reply)).isEqualTo(ReplyStatus.OK);
        reply[1] = 7;
        assertThat(NtpReply.stratum(reply, 0)).isEqualTo(7);
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
        return NtpReply.check(reply, 0, length, Replies.ORIGIN);
    }
}
