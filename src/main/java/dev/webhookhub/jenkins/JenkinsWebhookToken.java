package dev.webhookhub.jenkins;

import dev.webhookhub.deliveries.ReceivedDelivery;
import dev.webhookhub.inbound.WebhookRejection;
import dev.webhookhub.security.SignatureSchemes;
import dev.webhookhub.security.SignedRequest;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The verify step of routes/jenkins-webhook.yaml: the shared token of {@code POST /api/webhooks/jenkins}
 * (JENKINS_WEBHOOK_TOKEN). Jenkins signs nothing, so when a token is configured a request must present it, as the
 * {@code token} query parameter or as the password of HTTP basic authentication (the Notification plugin sends
 * {@code user:token@} from its URL that way): the registry's {@code jenkins-token} scheme. Missing or wrong: 401.
 */
public final class JenkinsWebhookToken implements Processor {

    private final String token;

    public JenkinsWebhookToken(String token) {
        this.token = token == null || token.isBlank() ? null : token;
    }

    public boolean required() {
        return token != null;
    }

    @Override
    public void process(Exchange exchange) {
        ReceivedDelivery delivery = ReceivedDelivery.start(exchange, JenkinsNotifications.SOURCE, null);
        if (token != null) {
            WebhookRejection.require(SignatureSchemes.JENKINS_TOKEN.verify(delivery.signedRequest(exchange),
                    List.of(token)));
            delivery.signatureValid(true);
        }
    }

    /** Whether the request may pass: no token configured, or one of the presented values matches (constant time). */
    public boolean accepts(String queryToken, String authorization) {
        return token == null || SignatureSchemes.JENKINS_TOKEN.verify(new SignedRequest(new byte[0],
                name -> "Authorization".equalsIgnoreCase(name) ? authorization : null,
                name -> "token".equals(name) ? queryToken : null), List.of(token)).valid();
    }
}
