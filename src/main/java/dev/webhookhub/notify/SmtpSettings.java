package dev.webhookhub.notify;

/**
 * SMTP_HOST, SMTP_PORT, SMTP_SECURE (true: SMTPS, TLS from the first byte; false: plain SMTP upgraded with STARTTLS
 * when the server offers it), SMTP_USER, SMTP_PASS, SMTP_FROM. No host: e-mail is not configured. The password
 * never appears in {@link #toString()} or in the endpoint URI.
 */
public record SmtpSettings(String host, int port, boolean secure, String user, String password, String from,
        int timeoutMillis) {

    public boolean configured() {
        return host != null && !host.isBlank();
    }

    public String protocol() {
        return secure ? "smtps" : "smtp";
    }

    /** The camel-mail endpoint URI (credentials are set on the component, not here). */
    public String uri() {
        return configured() ? protocol() + "://" + host.trim() + ":" + port : "smtp://smtp-not-configured.invalid:25";
    }

    /** For logs: where mail goes, as whom, never the password. */
    public String describe() {
        return protocol() + "://" + host + ":" + port + (user == null || user.isBlank() ? "" : " as " + user)
                + ", from " + from;
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + (configured() ? describe() : "not configured") + "]";
    }
}
