package dev.webhookhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeysTest {

    @TempDir
    Path dataDir;

    @Test
    void generatedKeyFileIsOwnerOnlyAndStableAcrossCalls() throws IOException {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        SecretCipher first = SecretKeys.cipher(null, dataDir);
        Path file = dataDir.resolve(SecretKeys.FILE_NAME);

        assertThat(file).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String content = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(Base64.getDecoder().decode(content.trim())).hasSize(32);

        String stored = first.encrypt("webhook secret");
        SecretCipher second = SecretKeys.cipher("", dataDir);
        assertThat(second.decrypt(stored)).isEqualTo("webhook secret");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void differentDataDirsGetDifferentKeys() {
        String stored = SecretKeys.cipher(null, dataDir.resolve("a")).encrypt("webhook secret");
        assertThatThrownBy(() -> SecretKeys.cipher(null, dataDir.resolve("b")).decrypt(stored))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void configuredKeyWinsAndNoFileIsWritten() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        String b64 = Base64.getEncoder().encodeToString(key);
        String stored = SecretKeys.cipher(" " + b64 + "\n", dataDir).encrypt("webhook secret");
        assertThat(new SecretCipher(key).decrypt(stored)).isEqualTo("webhook secret");
        assertThat(dataDir.resolve(SecretKeys.FILE_NAME)).doesNotExist();
    }

    @Test
    void configuredKeyMustBeBase64Of32Bytes() {
        assertThatThrownBy(() -> SecretKeys.cipher("not base64 at all!", dataDir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        String sixteen = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> SecretKeys.cipher(sixteen, dataDir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }
}
