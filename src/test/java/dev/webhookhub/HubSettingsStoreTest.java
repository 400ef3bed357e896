package dev.webhookhub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Store settings derived from the URL: {@code hub.db.h2-settings} becomes the settings part of the default H2 file
 * URL; payload compression defaults by store.
 */
class HubSettingsStoreTest {

    @Test
    void settingsAreAppendedWithOneSeparator() {
        assertThat(HubSettings.h2Settings("")).isEmpty();
        assertThat(HubSettings.h2Settings("  ")).isEmpty();
        assertThat(HubSettings.h2Settings("WRITE_DELAY=100")).isEqualTo(";WRITE_DELAY=100");
        assertThat(HubSettings.h2Settings(";CACHE_SIZE=32768;WRITE_DELAY=100"))
                .isEqualTo(";CACHE_SIZE=32768;WRITE_DELAY=100");
    }

    @Test
    void payloadsAreCompressedByDefaultWithH2OnlyAndAsSetOtherwise() {
        assertThat(HubSettings.compressPayloads("", "jdbc:h2:file:/data/hub")).isTrue();
        assertThat(HubSettings.compressPayloads("", "jdbc:postgresql://db:5432/hub")).isFalse();
        assertThat(HubSettings.compressPayloads("false", "jdbc:h2:file:/data/hub")).isFalse();
        assertThat(HubSettings.compressPayloads(" true ", "jdbc:postgresql://db:5432/hub")).isTrue();
    }
}
