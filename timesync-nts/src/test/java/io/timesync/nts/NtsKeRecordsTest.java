package io.timesync.nts;

import io.timesync.nts.NtsKeException.Reason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

/** The NTS-KE record rules of RFC 8915 §4, one by one, and seeded corruption of a real-shaped response. */
class NtsKeRecordsTest {

    private static final long SEED = 8915;

    /** Builds a response record by record. */
    private static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message record(boolean critical, int type, int... body) {
            out.write((critical ? 0x80 : 0) | (type >>> 8));
            out.write(type);
            out.write(body.length >>> 8);
            out.write(body.length);
            for (int b : body) {
                out.write(b);
            }
            return this;
        }

        Message protocol() {
            return record(true, 1, 0, 0);
        }

        Message aead() {
            return record(true, 4, 0, 15);
        }

        Message cookie(int length, int fill) {
            int[] body = new int[length];
            Arrays.fill(body, fill);
            return record(false, 5, body);
        }

        Message end() {
            return record(true, 0);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static Message valid() {
        Message m = new Message().protocol().aead();
        for (int i = 0; i < 8; i++) {
            m.cookie(100, i);
        }
        return m;
    }

    private static NtsKeResponse parse(byte[] b) throws NtsKeException {
        return NtsKeRecords.parse(b, b.length);
    }

    private static Reason reasonOf(byte[] b) {
        NtsKeException e = catchThrowableOfType(NtsKeException.class, () -> parse(b));
        if (e == null) {
            fail("accepted: " + HexFormat.of().formatHex(b));
        }
        return e.reason();
    }

    @Test
    void theRequestIsNextProtocolNtpv4AesSivAndEndOfMessageAllCritical() {
        assertThat(NtsKeRecords.request()).containsExactly(
                0x80, 1, 0, 2, 0, 0,
                0x80, 4, 0, 2, 0, 15,
                0x80, 0, 0, 0);
    }

    @Test
    void aValidResponseGivesItsCookiesAndTheDefaultServer() throws Exception {
        NtsKeResponse r = parse(valid().end().bytes());
        assertThat(r.cookies()).hasSize(8);
        assertThat(r.cookies().get(3)).hasSize(100).containsOnly(3);
        assertThat(r.server()).isNull();
        assertThat(r.port()).isZero();
    }

    @Test
    void serverAndPortNegotiationAreTaken() throws Exception {
        byte[] name = "ntp.example.net".getBytes(StandardCharsets.US_ASCII);
        int[] body = new int[name.length];
        for (int i = 0; i < name.length; i++) {
            body[i] = name[i];
        }
        NtsKeResponse r = parse(valid().record(true, 6, body).record(true, 7, 0x2E, 0xE0).end().bytes());
        assertThat(r.server()).isEqualTo("ntp.example.net");
        assertThat(r.port()).isEqualTo(12000);
    }

    @Test
    void anInvalidNegotiatedServerIsRefused() {
        assertThat(reasonOf(valid().record(true, 6, 'a', ';', 'b').end().bytes())).isEqualTo(Reason.BAD_SERVER);
        assertThat(reasonOf(valid().record(true, 6).end().bytes())).isEqualTo(Reason.BAD_SERVER);
        assertThat(reasonOf(valid().record(true, 7, 0, 0).end().bytes())).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void moreThanEightCookiesAreIgnoredNotRefused() throws Exception {
        assertThat(parse(valid().cookie(64, 9).cookie(64, 10).end().bytes()).cookies()).hasSize(8);
    }

    @Test
    void unknownRecordsAreIgnoredUnlessCritical() throws Exception {
        assertThat(parse(valid().record(false, 0x4000, 1, 2).end().bytes()).cookies()).hasSize(8);
        assertThat(reasonOf(valid().record(true, 0x4000, 1, 2).end().bytes())).isEqualTo(Reason.UNRECOGNIZED_CRITICAL_RECORD);
    }

    @Test
    void errorAndWarningRecordsAbort() {
        NtsKeException e = catchThrowableOfType(NtsKeException.class, () -> parse(valid().record(true, 2, 0, 1).end().bytes()));
        assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(e.getMessage()).contains("error 1 (bad request)");
        assertThat(reasonOf(valid().record(true, 3, 0, 7).end().bytes())).isEqualTo(Reason.SERVER_WARNING);
    }

    @Test
    void protocolAndAlgorithmMustBeNegotiated() {
        assertThat(reasonOf(new Message().aead().cookie(50, 1).end().bytes())).isEqualTo(Reason.NO_NTPV4);
        assertThat(reasonOf(new Message().record(true, 1).aead().cookie(50, 1).end().bytes())).isEqualTo(Reason.NO_NTPV4);
        assertThat(reasonOf(new Message().record(true, 1, 0x80, 0).aead().cookie(50, 1).end().bytes())).isEqualTo(Reason.NO_NTPV4);
        assertThat(reasonOf(new Message().protocol().cookie(50, 1).end().bytes())).isEqualTo(Reason.NO_AEAD);
        assertThat(reasonOf(new Message().protocol().record(true, 4, 0, 30).cookie(50, 1).end().bytes())).isEqualTo(Reason.NO_AEAD);
        assertThat(reasonOf(new Message().protocol().aead().end().bytes())).isEqualTo(Reason.NO_COOKIES);
    }

    @Test
    void structuralErrorsAreMalformed() {
        assertThat(reasonOf(valid().bytes())).as("no end of message").isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(valid().record(false, 0).bytes())).as("end not critical").isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(valid().record(true, 0, 1).bytes())).as("end with a body").isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(valid().end().cookie(10, 1).bytes())).as("records after the end").isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(valid().protocol().end().bytes())).as("two protocol records").isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(valid().aead().end().bytes())).as("two AEAD records").isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(new Message().record(false, 1, 0, 0).aead().cookie(9, 1).end().bytes()))
                .as("protocol not critical").isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(valid().cookie(NtsKeRecords.MAX_COOKIE_LENGTH + 1, 1).end().bytes()))
                .as("cookie too long").isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(valid().record(false, 5).end().bytes())).as("empty cookie").isEqualTo(Reason.MALFORMED);
        byte[] cut = valid().end().bytes();
        assertThat(reasonOf(Arrays.copyOf(cut, cut.length - 6))).as("cut short").isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(new byte[NtsKeRecords.MAX_MESSAGE + 1])).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void seededCorruptionNeverThrowsPastTheTypedOutcome() {
        byte[] original = valid().end().bytes();
        SplittableRandom random = new SplittableRandom(SEED);
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = original.clone();
            int length = b.length;
            switch (random.nextInt(3)) {
                case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                default -> length = random.nextInt(b.length);
            }
            try {
                NtsKeResponse r = NtsKeRecords.parse(b, length);
                assertThat(r.cookies()).isNotEmpty().hasSizeLessThanOrEqualTo(8);
                accepted++;
            } catch (NtsKeException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + ", case " + i + ": " + HexFormat.of().formatHex(b, 0, length), e);
            }
        }
        // Cookie bytes are opaque, so many corruptions are accepted; structure breaks are typed.
        assertThat(accepted).as("seed %d", SEED).isPositive();
        assertThat(reasons).as("seed %d", SEED).containsKeys(Reason.MALFORMED, Reason.NO_NTPV4, Reason.NO_AEAD,
                Reason.UNRECOGNIZED_CRITICAL_RECORD);
    }
}
