package dev.webhookhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretCipherTest {

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static String flipByte(String stored, int index) {
        byte[] raw = Base64.getDecoder().decode(stored.substring(3));
        raw[index < 0 ? raw.length + index : index] ^= 0x01;
        return "v1:" + Base64.getEncoder().encodeToString(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "Gkvl$k$wyNpQAF42", "", "grüße ✓ 秘密"})
    void roundTrip(String plaintext) {
        SecretCipher cipher = new SecretCipher(randomKey());
        String stored = cipher.encrypt(plaintext);
        assertThat(stored).startsWith("v1:");
        if (!plaintext.isEmpty()) {
            assertThat(stored).doesNotContain(plaintext);
        }
        assertThat(cipher.decrypt(stored)).isEqualTo(plaintext);
    }

    @Test
    void storedFormIsIvThenCiphertextAndTagAndReadableWithPlainJce() throws Exception {
        byte[] key = randomKey();
        String plaintext = "Gkvl$k$wyNpQAF42";
        String stored = new SecretCipher(key).encrypt(plaintext);
        byte[] raw = Base64.getDecoder().decode(stored.substring(3));
        int plainLength = plaintext.getBytes(StandardCharsets.UTF_8).length;
        assertThat(raw).hasSize(12 + plainLength + 16);

        Cipher jce = Cipher.getInstance("AES/GCM/NoPadding");
        jce.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, raw, 0, 12));
        assertThat(new String(jce.doFinal(raw, 12, raw.length - 12), StandardCharsets.UTF_8)).isEqualTo(plaintext);
    }

    @Test
    void twoEncryptionsOfTheSamePlaintextDiffer() {
        SecretCipher cipher = new SecretCipher(randomKey());
        String a = cipher.encrypt("same secret");
        String b = cipher.encrypt("same secret");
        assertThat(a).isNotEqualTo(b);
        byte[] ivA = Arrays.copyOf(Base64.getDecoder().decode(a.substring(3)), 12);
        byte[] ivB = Arrays.copyOf(Base64.getDecoder().decode(b.substring(3)), 12);
        assertThat(ivA).isNotEqualTo(ivB);
        assertThat(cipher.decrypt(a)).isEqualTo("same secret");
        assertThat(cipher.decrypt(b)).isEqualTo("same secret");
    }

    @Test
    void tamperedCiphertextFails() {
        SecretCipher cipher = new SecretCipher(randomKey());
        String stored = cipher.encrypt("top secret value");
        assertThat(cipher.decrypt(stored)).isEqualTo("top secret value");
        for (int index : new int[] {0, 11, 12, 20, -1}) { // IV, first ciphertext byte, middle, last tag byte
            String tampered = flipByte(stored, index);
            assertThatThrownBy(() -> cipher.decrypt(tampered))
                    .as("byte %d flipped", index)
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void truncatedTagFails() {
        SecretCipher cipher = new SecretCipher(randomKey());
        String stored = cipher.encrypt("top secret value");
        byte[] raw = Base64.getDecoder().decode(stored.substring(3));
        String truncated = "v1:" + Base64.getEncoder().encodeToString(Arrays.copyOf(raw, raw.length - 1));
        assertThatThrownBy(() -> cipher.decrypt(truncated)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void wrongKeyFails() {
        byte[] key = randomKey();
        String stored = new SecretCipher(key).encrypt("top secret value");
        byte[] other = key.clone();
        other[31] ^= 0x01;
        assertThatThrownBy(() -> new SecretCipher(other).decrypt(stored))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot decrypt");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16, 24, 31, 33, 64})
    void keyLengthOtherThan32IsRejected(int length) {
        assertThatThrownBy(() -> new SecretCipher(new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void valueWithoutVersionPrefixIsRejected() {
        SecretCipher cipher = new SecretCipher(randomKey());
        String stored = cipher.encrypt("x");
        assertThatThrownBy(() -> cipher.decrypt(stored.substring(3))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.decrypt("plaintext-secret")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.decrypt(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
