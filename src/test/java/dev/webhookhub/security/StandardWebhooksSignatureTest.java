package dev.webhookhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.security.StandardWebhooksSignature.Result;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official vector of standard-webhooks/standard-webhooks (go TestWebhookSign, java TestScenario.validSigned). */
class StandardWebhooksSignatureTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String KEY_HEX = "31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0";
    private static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final byte[] PAYLOAD = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final String NON_MATCHING = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static StandardWebhooksSignature verifierAt(long epochSecond) {
        return new StandardWebhooksSignature(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC),
                TOLERANCE);
    }

    private static Result verifyVector(StandardWebhooksSignature v, String signatureHeader) {
        return v.verify(StandardWebhooksSignature.key(SECRET), MSG_ID, Long.toString(TIMESTAMP), signatureHeader,
                PAYLOAD);
    }

    @Test
    void keyIsTheBase64DecodedPartAfterThePrefix() {
        assertThat(HexFormat.of().formatHex(StandardWebhooksSignature.key(SECRET))).isEqualTo(KEY_HEX);
    }

    @Test
    void signProducesTheOfficialVector() {
        assertThat(StandardWebhooksSignature.sign(StandardWebhooksSignature.key(SECRET), MSG_ID, TIMESTAMP, PAYLOAD))
                .isEqualTo(EXPECTED);
    }

    @Test
    void verifyAcceptsTheOfficialVectorWithAFixedClock() {
        assertThat(verifyVector(verifierAt(TIMESTAMP), EXPECTED)).isEqualTo(Result.VALID);
    }

    @Test
    void theOfficialVectorIsStaleForTheRealClock() {
        StandardWebhooksSignature v = new StandardWebhooksSignature(Clock.systemUTC(), TOLERANCE);
        assertThat(verifyVector(v, EXPECTED)).isEqualTo(Result.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void multiSignatureHeaderIsAcceptedWhenAnyV1SignatureMatches() {
        StandardWebhooksSignature v = verifierAt(TIMESTAMP);
        assertThat(verifyVector(v, NON_MATCHING + " " + EXPECTED)).isEqualTo(Result.VALID);
        assertThat(verifyVector(v, EXPECTED + " " + NON_MATCHING)).isEqualTo(Result.VALID);
        assertThat(verifyVector(v, NON_MATCHING + "   " + EXPECTED + " ")).isEqualTo(Result.VALID);
        assertThat(verifyVector(v, "v1,not-base64!! " + EXPECTED)).isEqualTo(Result.VALID);
    }

    @Test
    void onlyNonMatchingSignaturesAreRejected() {
        assertThat(verifyVector(verifierAt(TIMESTAMP), NON_MATCHING)).isEqualTo(Result.INVALID_SIGNATURE);
        assertThat(verifyVector(verifierAt(TIMESTAMP), "")).isEqualTo(Result.INVALID_SIGNATURE);
    }

    @Test
    void theMatchingDigestUnderAnotherVersionTagIsNotAccepted() {
        String b64 = EXPECTED.substring(3);
        StandardWebhooksSignature v = verifierAt(TIMESTAMP);
        assertThat(verifyVector(v, "v1a," + b64)).isEqualTo(Result.INVALID_SIGNATURE);
        assertThat(verifyVector(v, "v2," + b64)).isEqualTo(Result.INVALID_SIGNATURE);
        assertThat(verifyVector(v, b64)).isEqualTo(Result.INVALID_SIGNATURE);
    }

    @Test
    void timestampSixMinutesOffIsOutOfTolerance() {
        assertThat(verifyVector(verifierAt(TIMESTAMP + 360), EXPECTED)).isEqualTo(Result.TIMESTAMP_OUT_OF_TOLERANCE);
        assertThat(verifyVector(verifierAt(TIMESTAMP - 360), EXPECTED)).isEqualTo(Result.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void timestampFourMinutesOffIsFine() {
        assertThat(verifyVector(verifierAt(TIMESTAMP + 240), EXPECTED)).isEqualTo(Result.VALID);
        assertThat(verifyVector(verifierAt(TIMESTAMP - 240), EXPECTED)).isEqualTo(Result.VALID);
    }

    @Test
    void toleranceBoundaryIsInclusive() {
        assertThat(verifyVector(verifierAt(TIMESTAMP + 300), EXPECTED)).isEqualTo(Result.VALID);
        assertThat(verifyVector(verifierAt(TIMESTAMP + 301), EXPECTED)).isEqualTo(Result.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void changedBodyIdOrTimestampIsAnInvalidSignature() {
        StandardWebhooksSignature v = verifierAt(TIMESTAMP);
        byte[] key = StandardWebhooksSignature.key(SECRET);
        byte[] changedBody = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThat(v.verify(key, MSG_ID, Long.toString(TIMESTAMP), EXPECTED, changedBody))
                .isEqualTo(Result.INVALID_SIGNATURE);
        assertThat(v.verify(key, MSG_ID + "x", Long.toString(TIMESTAMP), EXPECTED, PAYLOAD))
                .isEqualTo(Result.INVALID_SIGNATURE);
        assertThat(v.verify(key, MSG_ID, Long.toString(TIMESTAMP + 1), EXPECTED, PAYLOAD))
                .isEqualTo(Result.INVALID_SIGNATURE);
    }

    @Test
    void anotherKeyIsAnInvalidSignature() {
        byte[] other = StandardWebhooksSignature.key(SECRET);
        other[0] ^= 1;
        assertThat(verifierAt(TIMESTAMP).verify(other, MSG_ID, Long.toString(TIMESTAMP), EXPECTED, PAYLOAD))
                .isEqualTo(Result.INVALID_SIGNATURE);
    }

    @Test
    void missingHeadersAreMalformed() {
        StandardWebhooksSignature v = verifierAt(TIMESTAMP);
        byte[] key = StandardWebhooksSignature.key(SECRET);
        String ts = Long.toString(TIMESTAMP);
        assertThat(v.verify(key, null, ts, EXPECTED, PAYLOAD)).isEqualTo(Result.MALFORMED);
        assertThat(v.verify(key, MSG_ID, null, EXPECTED, PAYLOAD)).isEqualTo(Result.MALFORMED);
        assertThat(v.verify(key, MSG_ID, ts, null, PAYLOAD)).isEqualTo(Result.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1614265330.5", "1614265330s", "2021-02-25T15:02:10Z", "99999999999999999999"})
    void nonNumericTimestampIsMalformed(String timestamp) {
        assertThat(verifierAt(TIMESTAMP).verify(StandardWebhooksSignature.key(SECRET), MSG_ID, timestamp, EXPECTED,
                PAYLOAD)).isEqualTo(Result.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 25, 26, 32, 64})
    void unpaddedAndUnprefixedSecretsDecodeToTheSameKey(int length) {
        byte[] raw = new byte[length];
        new SecureRandom().nextBytes(raw);
        String padded = Base64.getEncoder().encodeToString(raw);
        String unpadded = Base64.getEncoder().withoutPadding().encodeToString(raw);
        if (length % 3 != 0) {
            assertThat(unpadded).isNotEqualTo(padded); // the case really exercises padding
        }
        assertThat(StandardWebhooksSignature.key("whsec_" + padded)).isEqualTo(raw);
        assertThat(StandardWebhooksSignature.key("whsec_" + unpadded)).isEqualTo(raw);
        assertThat(StandardWebhooksSignature.key(padded)).isEqualTo(raw);
        assertThat(StandardWebhooksSignature.key(unpadded)).isEqualTo(raw);
    }

    @Test
    void theVectorSecretWithoutPrefixGivesTheSameSignature() {
        assertThat(StandardWebhooksSignature.sign(StandardWebhooksSignature.key(SECRET.substring(6)), MSG_ID,
                TIMESTAMP, PAYLOAD)).isEqualTo(EXPECTED);
    }

    @Test
    void generatedSecretsAreWhsecWith32ByteKeys() {
        String secret = RandomSecrets.standardWebhooksSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(StandardWebhooksSignature.key(secret)).hasSize(32);
        assertThat(RandomSecrets.standardWebhooksSecret()).isNotEqualTo(secret);
    }

    /** A timestamp near Long.MIN_VALUE must not overflow the tolerance check. */
    @Test
    void extremeTimestampIsOutOfTolerance() {
        long now = TIMESTAMP;
        long extreme = now + Long.MIN_VALUE;
        byte[] key = StandardWebhooksSignature.key(SECRET);
        String sig = StandardWebhooksSignature.sign(key, MSG_ID, extreme, PAYLOAD);
        assertThat(verifierAt(now).verify(key, MSG_ID, Long.toString(extreme), sig, PAYLOAD))
                .isEqualTo(Result.TIMESTAMP_OUT_OF_TOLERANCE);
    }
}
