package dev.webhookhub.store;

import dev.webhookhub.deliveries.DeliveryStatus;
import dev.webhookhub.deliveries.DeliveryRecord;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoredTextTest {

    @Test
    void textThatFitsIsKeptAsItIs() {
        assertThat(StoredText.fit(null, 10)).isNull();
        assertThat(StoredText.fit("", 10)).isEmpty();
        String exact = "x".repeat(10);
        assertThat(StoredText.fit(exact, 10)).isSameAs(exact);
    }

    @Test
    void longerTextIsCutToTheColumn() {
        assertThat(StoredText.fit("abcdefghij", 4)).isEqualTo("abcd");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        assertThat(StoredText.fit("abc" + emoji + "z", 4)).isEqualTo("abc");
        assertThat(StoredText.fit("abc" + emoji + "z", 5)).isEqualTo("abc" + emoji);
    }

    @Test
    void nulBecomesTheReplacementCharacter() {
        assertThat(StoredText.fit("a\u0000b\u0000", 10)).isEqualTo("a\uFFFDb\uFFFD");
    }

    @Test
    void deliveryRecordsAreFittedToTheirColumns() {
        DeliveryRecord r = new DeliveryRecord("id", "p".repeat(40), "s".repeat(150), "d".repeat(300),
                "e\u0000".repeat(200), null, 0, false, "{}", null, DeliveryStatus.REJECTED, 404, 1, null,
                "x".repeat(2_000), java.time.Instant.now(), null);
        assertThat(r.provider()).hasSize(DeliveryRecord.PROVIDER_CHARS);
        assertThat(r.serviceId()).hasSize(DeliveryRecord.SERVICE_ID_CHARS);
        assertThat(r.deliveryId()).hasSize(DeliveryRecord.DELIVERY_ID_CHARS);
        assertThat(r.eventType()).hasSize(DeliveryRecord.EVENT_TYPE_CHARS).doesNotContain("\u0000");
        assertThat(r.error()).hasSize(DeliveryRecord.ERROR_CHARS);
        assertThat(r.asDuplicate().provider()).isEqualTo(r.provider());
    }
}
