package dev.webhookhub.results;

import dev.webhookhub.inbound.ReceivedBody;
import dev.webhookhub.security.SignedRequest;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The verify step of routes/results-receiver.yaml: reads the raw body (before anything parses it) and checks its
 * signature in the configured scheme of the registry; leaves the bytes as the body and whether the signature was verified in {@link #VERIFIED}.
 */
public final class ResultsReceiverVerifier implements Processor {

    static final String VERIFIED = "hubResultsSignatureVerified";

    private final ResultsSignatureCheck check;

    ResultsReceiverVerifier(ResultsSignatureCheck check) {
        this.check = check;
    }

    @Override
    public void process(Exchange exchange) {
        byte[] body = ReceivedBody.bytes(exchange);
        exchange.getIn().setBody(body);
        HttpServerRequest http = request(exchange);
        boolean verified = check.verify(new SignedRequest(body, name -> http != null ? http.getHeader(name)
                : exchange.getIn().getHeader(name, String.class)));
        exchange.setProperty(VERIFIED, verified);
    }

    static HttpServerRequest request(Exchange exchange) {
        return exchange.getIn() instanceof HttpMessage m ? m.getRequest() : null;
    }
}
