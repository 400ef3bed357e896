package dev.webhookhub.inbound;

import dev.webhookhub.api.ApiError;
import dev.webhookhub.deliveries.RejectionResponder;
import dev.webhookhub.security.SignatureScheme;

/**
 * A webhook the hub refuses, with the HTTP status and error code the sender gets: an {@link ApiError}, answered by
 * the receivers' one error step (RejectionResponder) and recorded as a rejected delivery.
 */
public final class WebhookRejection extends ApiError {

    public WebhookRejection(int status, String code, String message) {
        super(status, code, message);
    }

    public static WebhookRejection unauthorized(String code, String message) {
        return new WebhookRejection(401, code, message);
    }

    /** A request whose signature was fine but whose content is not. */
    public static WebhookRejection badRequest(String code, String message) {
        return new WebhookRejection(400, code, message);
    }

    /** Throws the 401 a failed check of a signature scheme answers with. */
    public static void require(SignatureScheme.Verdict verdict) {
        if (!verdict.valid()) {
            throw unauthorized(verdict.code(), verdict.message());
        }
    }

    /** False for a failed signature check (401), true for content refused after it (400), null otherwise. */
    public Boolean signatureValid() {
        return status() == 401 ? Boolean.FALSE : status() == 400 ? Boolean.TRUE : null;
    }
}
