package dev.webhookhub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code hub.db.h2-settings} becomes the settings part of the default H2 file URL. */
class HubSettingsH2SettingsTest {

    @Test
    void settingsAreAppendedWithOneSeparator() {
        assertThat(HubSettings.h2Settings("")).isEmpty();
        assertThat(HubSettings.h2Settings("  ")).isEmpty();
        assertThat(HubSettings.h2Settings("WRITE_DELAY=100")).isEqualTo(";WRITE_DELAY=100");
        assertThat(HubSettings.h2Settings(";CACHE_SIZE=32768;WRITE_DELAY=100"))
                .isEqualTo(";CACHE_SIZE=32768;WRITE_DELAY=100");
    }
}
