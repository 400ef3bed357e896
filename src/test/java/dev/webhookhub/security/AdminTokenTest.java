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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {

    @TempDir
    Path dataDir;

    private static void assumePosix() {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
    }

    @Test
    void configuredTokenIsAcceptedOnlyAsBearer() {
        AdminToken token = AdminToken.resolve("s3cr3t-admin-token-0123456789abcdef", dataDir);
        assertThat(token.value()).isEqualTo("s3cr3t-admin-token-0123456789abcdef");
        assertThat(token.accepts("Bearer s3cr3t-admin-token-0123456789abcdef")).isTrue();
        assertThat(token.accepts("Bearer s3cr3t-admin-token-0123456789abcdef ")).isTrue();

        assertThat(token.accepts("s3cr3t-admin-token-0123456789abcdef")).isFalse();
        assertThat(token.accepts("Basic s3cr3t-admin-token-0123456789abcdef")).isFalse();
        assertThat(token.accepts("Token s3cr3t-admin-token-0123456789abcdef")).isFalse();
        assertThat(token.accepts("Bearers3cr3t-admin-token-0123456789abcdef")).isFalse();
        assertThat(token.accepts("Bearer:s3cr3t-admin-token-0123456789abcdef")).isFalse();
    }

    @Test
    void bearerSchemeIsCaseInsensitive() {
        AdminToken token = AdminToken.resolve("s3cr3t-admin-token-0123456789abcdef", dataDir);
        assertThat(token.accepts("bearer s3cr3t-admin-token-0123456789abcdef")).isTrue();
        assertThat(token.accepts("BEARER s3cr3t-admin-token-0123456789abcdef")).isTrue();
        assertThat(token.accepts("bEaReR s3cr3t-admin-token-0123456789abcdef")).isTrue();
    }

    @Test
    void wrongOrMissingTokenIsRejected() {
        AdminToken token = AdminToken.resolve("s3cr3t-admin-token-0123456789abcdef", dataDir);
        assertThat(token.accepts(null)).isFalse();
        assertThat(token.accepts("")).isFalse();
        assertThat(token.accepts("Bearer")).isFalse();
        assertThat(token.accepts("Bearer ")).isFalse();
        assertThat(token.accepts("Bearer wrong")).isFalse();
        assertThat(token.accepts("Bearer s3cr3t-admin-token-0123456789abcde")).isFalse();
        assertThat(token.accepts("Bearer s3cr3t-admin-token-0123456789abcdef2")).isFalse();
        assertThat(token.accepts("Bearer S3CR3T-ADMIN-TOKEN-0123456789ABCDEF")).isFalse(); // only the scheme is case-insensitive
    }

    @Test
    void configuredTokensShorterThan32CharactersAreRefused() {
        assertThatThrownBy(() -> AdminToken.resolve("s3cr3t-admin-token", dataDir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HUB_ADMIN_TOKEN").hasMessageContaining("at least 32")
                .hasMessageNotContaining("s3cr3t-admin-token");
        assertThatThrownBy(() -> AdminToken.resolve("  " + "x".repeat(31) + "  ", dataDir))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AdminToken.resolve("x".repeat(32), dataDir).value()).hasSize(32);
        assertThat(dataDir.resolve(AdminToken.FILE_NAME)).doesNotExist();
    }

    @Test
    void configuredTokenIsTrimmedAndNoFileIsWritten() {
        AdminToken token = AdminToken.resolve("  padded-token-0123456789abcdef0123456789 \n", dataDir);
        assertThat(token.value()).isEqualTo("padded-token-0123456789abcdef0123456789");
        assertThat(token.accepts("Bearer padded-token-0123456789abcdef0123456789")).isTrue();
        assertThat(dataDir.resolve(AdminToken.FILE_NAME)).doesNotExist();
    }

    @Test
    void generatedTokenFileIsOwnerOnlyAndStable() throws IOException {
        assumePosix();
        Path dir = dataDir.resolve("nested/data"); // created on demand
        AdminToken first = AdminToken.resolve(null, dir);
        Path file = dir.resolve(AdminToken.FILE_NAME);

        assertThat(file).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file, StandardCharsets.UTF_8).trim()).isEqualTo(first.value());
        // 32 random bytes, URL-safe base64 without padding
        assertThat(first.value()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(first.accepts("Bearer " + first.value())).isTrue();

        AdminToken second = AdminToken.resolve("", dir);
        assertThat(second.value()).isEqualTo(first.value());
        assertThat(second.accepts("Bearer " + first.value())).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void blankConfiguredTokenFallsBackToTheFile() throws IOException {
        Files.writeString(dataDir.resolve(AdminToken.FILE_NAME), "from-file-token\n");
        AdminToken token = AdminToken.resolve("   ", dataDir);
        assertThat(token.value()).isEqualTo("from-file-token");
        assertThat(token.accepts("Bearer from-file-token")).isTrue();
    }

    @Test
    void separateDataDirsGetDifferentTokens() {
        AdminToken a = AdminToken.resolve(null, dataDir.resolve("a"));
        AdminToken b = AdminToken.resolve(null, dataDir.resolve("b"));
        assertThat(a.value()).isNotEqualTo(b.value());
        assertThat(a.accepts("Bearer " + b.value())).isFalse();
    }

    /** An empty admin-token file (crash while it was written, or an operator's touch) never yields an empty token. */
    @Test
    void emptyTokenFileNeverYieldsAnEmptyToken() throws IOException {
        Files.writeString(dataDir.resolve(AdminToken.FILE_NAME), "\n");
        AdminToken token;
        try {
            token = AdminToken.resolve(null, dataDir);
        } catch (RuntimeException refused) {
            return; // refusing to start is an acceptable fix
        }
        assertThat(token.value()).isNotBlank();
        assertThat(token.accepts("Bearer ")).isFalse();
        assertThat(token.accepts("Bearer  \t")).isFalse();
    }
}
