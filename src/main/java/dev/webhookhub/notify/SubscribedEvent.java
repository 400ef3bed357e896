package dev.webhookhub.notify;

import dev.webhookhub.events.HubEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * The notification bus consumer's filter (routes/notifications.yaml): whether some active setting wants the event.
 * A predicate the route names with the {@code ref} language: it runs for every bus event, and the {@code method}
 * language would copy the exchange and bind parameters each time.
 */
public final class SubscribedEvent implements Predicate {

    private final NotificationRouter router;

    public SubscribedEvent(NotificationRouter router) {
        this.router = router;
    }

    @Override
    public boolean matches(Exchange exchange) {
        return exchange.getIn().getBody() instanceof HubEvent event && router.subscribed(event);
    }
}
