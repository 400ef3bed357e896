package dev.webhookhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HmacTest {

    // docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries, "Testing the webhook payload validation"
    private static final String GITHUB_SECRET = "It's a Secret to Everybody";
    private static final byte[] GITHUB_BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String GITHUB_HEX = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void githubPublishedVectorProducesTheDocumentedDigest() {
        assertThat(Hmac.sha256Hex(GITHUB_SECRET, GITHUB_BODY)).isEqualTo(GITHUB_HEX);
        assertThat(Hmac.sha256(GITHUB_SECRET, GITHUB_BODY)).isEqualTo(HexFormat.of().parseHex(GITHUB_HEX));
        assertThat(Hmac.hexMatches(GITHUB_HEX, Hmac.sha256(GITHUB_SECRET, GITHUB_BODY))).isTrue();
    }

    @Test
    void legacySha1OfTheSameVectorMatchesTheValueComputedWithPython() {
        byte[] sha1 = Hmac.sign("HmacSHA1", GITHUB_SECRET.getBytes(StandardCharsets.UTF_8), GITHUB_BODY);
        assertThat(HexFormat.of().formatHex(sha1)).isEqualTo("01dc10d0c83e72ed246219cdd91669667fe2ca59");
    }

    @Test
    void signOverSeveralPartsEqualsSignOverTheirConcatenation() {
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        byte[] whole = Hmac.sign(Hmac.SHA256, key, "id.123.body".getBytes(StandardCharsets.UTF_8));
        byte[] parts = Hmac.sign(Hmac.SHA256, key, "id.123.".getBytes(StandardCharsets.UTF_8),
                "body".getBytes(StandardCharsets.UTF_8));
        assertThat(parts).isEqualTo(whole);
        assertThat(Hmac.sign(Hmac.SHA256, key, "id.123.".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(whole);
    }

    @Test
    void hexMatchesRejectsWrongLength() {
        byte[] expected = Hmac.sha256(GITHUB_SECRET, GITHUB_BODY);
        assertThat(Hmac.hexMatches(GITHUB_HEX.substring(0, 63), expected)).isFalse();
        assertThat(Hmac.hexMatches(GITHUB_HEX.substring(0, 62), expected)).isFalse();
        assertThat(Hmac.hexMatches(GITHUB_HEX + "0", expected)).isFalse();
        assertThat(Hmac.hexMatches(GITHUB_HEX + "00", expected)).isFalse();
        assertThat(Hmac.hexMatches("", expected)).isFalse();
        assertThat(Hmac.hexMatches(null, expected)).isFalse();
    }

    @Test
    void hexMatchesRejectsNonHexOfTheRightLength() {
        byte[] expected = Hmac.sha256(GITHUB_SECRET, GITHUB_BODY);
        assertThat(Hmac.hexMatches(GITHUB_HEX.substring(0, 63) + "g", expected)).isFalse();
        assertThat(Hmac.hexMatches("z".repeat(64), expected)).isFalse();
        assertThat(Hmac.hexMatches(" " + GITHUB_HEX.substring(1), expected)).isFalse();
        assertThat(Hmac.hexMatches("+" + GITHUB_HEX.substring(1), expected)).isFalse();
    }

    @Test
    void hexMatchesRejectsALastDigitChange() {
        byte[] expected = Hmac.sha256(GITHUB_SECRET, GITHUB_BODY);
        String lastChanged = GITHUB_HEX.substring(0, 63) + "8"; // ...e17 -> ...e18
        String firstChanged = "6" + GITHUB_HEX.substring(1);
        assertThat(Hmac.hexMatches(lastChanged, expected)).isFalse();
        assertThat(Hmac.hexMatches(firstChanged, expected)).isFalse();
    }

    @Test
    void hexMatchesAcceptsUppercaseHex() {
        byte[] expected = Hmac.sha256(GITHUB_SECRET, GITHUB_BODY);
        assertThat(Hmac.hexMatches(GITHUB_HEX.toUpperCase(Locale.ROOT), expected)).isTrue();
    }

    @Test
    void hexMatchesDoesNotAcceptTheDigestOfAnotherKey() {
        assertThat(Hmac.hexMatches(GITHUB_HEX, Hmac.sha256("It's a Secret to Everybody!", GITHUB_BODY))).isFalse();
        assertThat(Hmac.hexMatches(GITHUB_HEX, Hmac.sha256(GITHUB_SECRET, "Hello, World".getBytes(
                StandardCharsets.UTF_8)))).isFalse();
    }

    @Test
    void equalsConstantTimeBasics() {
        assertThat(Hmac.equalsConstantTime("token", "token")).isTrue();
        assertThat(Hmac.equalsConstantTime("grüße", "grüße")).isTrue();
        assertThat(Hmac.equalsConstantTime("", "")).isTrue();
        assertThat(Hmac.equalsConstantTime("token", "tokem")).isFalse();
        assertThat(Hmac.equalsConstantTime("token", "token ")).isFalse();
        assertThat(Hmac.equalsConstantTime("token", "Token")).isFalse();
        assertThat(Hmac.equalsConstantTime("tok", "token")).isFalse();
        assertThat(Hmac.equalsConstantTime(null, "token")).isFalse();
        assertThat(Hmac.equalsConstantTime("token", null)).isFalse();
        assertThat(Hmac.equalsConstantTime(null, null)).isFalse();
    }
}
