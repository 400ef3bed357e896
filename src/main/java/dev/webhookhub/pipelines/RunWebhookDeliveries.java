package dev.webhookhub.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.inbound.ReceivedDelivery;
import dev.webhookhub.inbound.RequestHeaders;
import dev.webhookhub.store.DeliveryInbox;
import dev.webhookhub.store.DeliveryStatus;
import dev.webhookhub.store.StoreException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The delivery-log side of the CI webhooks that write a run directly (Jenkins, FoundriesFactory): each request is a
 * webhook_deliveries row (rejected ones through the route's {@code rejectionResponder}), and an accepted one is
 * answered 202 with the run's id once both the run and the delivery row are committed.
 */
public final class RunWebhookDeliveries {

    private final DeliveryInbox inbox;
    private final ObjectMapper mapper;
    private final int payloadCap;

    public RunWebhookDeliveries(DeliveryInbox inbox, ObjectMapper mapper, int payloadCap) {
        this.inbox = inbox;
        this.mapper = mapper;
        this.payloadCap = payloadCap;
    }

    /** Starts the delivery's log row (raw body and redacted headers) and returns the raw body. */
    public ReceivedDelivery begin(Exchange exchange, String provider, String name) {
        ReceivedDelivery delivery = new ReceivedDelivery(provider, name);
        exchange.setProperty(ReceivedDelivery.PROPERTY, delivery);
        HttpServerRequest http = request(exchange);
        delivery.request(body(exchange), http == null ? "{}"
                : RequestHeaders.redactedJson(mapper, http.headers(), http.getHeader("Content-Type")));
        return delivery;
    }

    public static HttpServerRequest request(Exchange exchange) {
        return exchange.getIn() instanceof HttpMessage m ? m.getRequest() : null;
    }

    public static byte[] body(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (body instanceof Buffer b) {
            return b.getBytes();
        }
        byte[] converted = exchange.getIn().getBody(byte[].class);
        return converted == null ? new byte[0] : converted;
    }

    /** Records the delivery as processed into {@code run}, waits for the commit, and answers 202. */
    public void accepted(Exchange exchange, ReceivedDelivery delivery, String event, RunReport run,
            UpsertOutcome outcome) {
        delivery.identify(null, event);
        delivery.decide(DeliveryStatus.PROCESSED, null, null);
        try {
            inbox.submit(delivery.toRecord(202, null, payloadCap)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException("cannot record delivery", e);
        } catch (TimeoutException e) {
            throw new StoreException("timed out recording delivery", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted recording delivery", e);
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("success", true);
        body.put("status", "accepted");
        body.put("runId", outcome.runId());
        body.put("deliveryId", delivery.id());
        body.put("outcome", outcome.kind().name().toLowerCase(java.util.Locale.ROOT));
        ObjectNode r = body.putObject("run");
        r.put("source", run.source());
        r.put("job", run.job());
        r.put("number", run.number());
        r.put("status", run.status());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(body.toString());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
