package dev.webhookhub.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A provider's webhook secret for one service, and the previous one while its rotation grace lasts. */
public record WebhookSecrets(String current, String previous, Instant previousValidUntil) {

    /** The secrets a delivery may be signed with at {@code now}: the current one first. */
    public List<String> validAt(Instant now) {
        List<String> out = new ArrayList<>(2);
        out.add(current);
        if (previous != null && previousValidUntil != null && now.isBefore(previousValidUntil)) {
            out.add(previous);
        }
        return out;
    }
}
