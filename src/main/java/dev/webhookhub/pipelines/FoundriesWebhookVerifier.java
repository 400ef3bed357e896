package dev.webhookhub.pipelines;

import dev.webhookhub.deliveries.ReceivedDelivery;
import dev.webhookhub.inbound.WebhookRejection;
import dev.webhookhub.security.SignatureSchemes;
import dev.webhookhub.security.SignedRequest;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The verify step of routes/foundries-webhook.yaml ({@code POST /api/webhooks/foundries/{name}}): the registry's
 * {@code jobserv} scheme, {@code X-JobServ-Sig: sha256:<hex HMAC-SHA256 of the raw body>}, with the secret
 * configured for {@code name} ({@code hub.foundries.secrets.<name>}; none: 404).
 */
public final class FoundriesWebhookVerifier implements Processor {

    private final Map<String, String> secrets;

    /** {@code secrets} by webhook name; names with a blank secret are not accepted. */
    public FoundriesWebhookVerifier(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    @Override
    public void process(Exchange exchange) {
        String name = exchange.getIn().getHeader("name", String.class);
        ReceivedDelivery delivery = ReceivedDelivery.start(exchange, FoundriesRuns.SOURCE, name);
        String secret = name == null ? null : secrets.get(name);
        if (secret == null || secret.isBlank()) {
            throw new WebhookRejection(404, "unknown_webhook", "no FoundriesFactory webhook named '" + name
                    + "' is configured (hub.foundries.secrets." + name + ")");
        }
        WebhookRejection.require(SignatureSchemes.JOBSERV.verify(delivery.signedRequest(exchange), List.of(secret)));
        delivery.signatureValid(true);
    }

    /** {@code sha256:} (a colon, not '=') and 64 hex digits, compared in constant time; a 401 rejection if not. */
    static void verify(String header, String secret, byte[] body) {
        WebhookRejection.require(SignatureSchemes.JOBSERV.verify(new SignedRequest(body,
                name -> SignatureSchemes.JOBSERV.header().equalsIgnoreCase(name) ? header : null), List.of(secret)));
    }
}
