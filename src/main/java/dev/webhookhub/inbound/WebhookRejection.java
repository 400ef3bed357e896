package dev.webhookhub.inbound;

/** A webhook the hub refuses, with the HTTP status and error code the sender gets. */
public final class WebhookRejection extends RuntimeException {

    private final int status;
    private final String code;
    private final Boolean signatureValid;

    public WebhookRejection(int status, String code, String message, Boolean signatureValid) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.signatureValid = signatureValid;
    }

    public static WebhookRejection unauthorized(String code, String message) {
        return new WebhookRejection(401, code, message, false);
    }

    /** A request whose signature was fine but whose content is not. */
    public static WebhookRejection badRequest(String code, String message) {
        return new WebhookRejection(400, code, message, true);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Boolean signatureValid() {
        return signatureValid;
    }
}
