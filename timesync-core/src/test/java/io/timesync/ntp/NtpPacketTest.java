package io.timesync.ntp;

import org.apache.commons.net.ntp.NtpV3Impl;
import org.apache.commons.net.ntp.NtpV3Packet;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class NtpPacketTest {

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
}
