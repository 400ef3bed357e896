package dev.webhookhub.inbound;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The receivers' HTTP header filter ({@code headerFilterStrategy=#receiverHeaders} on their endpoints): the request's
 * headers stay out of the Camel message. Every receiver reads them from the request itself (signatures, event and
 * delivery ids, the redacted copy in the delivery log), so copying each header into the message, and again into every
 * copy of the exchange queued behind it, was work for nothing (a quarter of the event loop's time per webhook). Path
 * parameters still arrive as headers; the answer's headers are filtered as platform-http does by default.
 */
public final class ReceiverHeaderFilter extends HttpHeaderFilterStrategy {

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
