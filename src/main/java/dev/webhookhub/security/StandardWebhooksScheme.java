package dev.webhookhub.security;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Standard Webhooks v1 ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature} holding one
 * {@code v1,<base64>} per secret), with the timestamp tolerance of {@link StandardWebhooksSignature}.
 */
public final class StandardWebhooksScheme implements SignatureScheme {

    public static final String NAME = "standard-webhooks";

    private final StandardWebhooksSignature signature;
    private final Verdict incomplete;
    private final Verdict malformed;
    private final String clockOwner;
    private final Verdict stale;

    public StandardWebhooksScheme(StandardWebhooksSignature signature) {
        this(signature, Verdict.refused("missing_signature",
                "webhook-id, webhook-timestamp and webhook-signature headers are required"),
                Verdict.refused("invalid_signature", "webhook-timestamp must be Unix seconds"), "hub");
    }

    private StandardWebhooksScheme(StandardWebhooksSignature signature, Verdict incomplete, Verdict malformed,
            String clockOwner) {
        this.signature = signature;
        this.incomplete = incomplete;
        this.malformed = malformed;
        this.clockOwner = clockOwner;
        this.stale = Verdict.refused("timestamp_out_of_tolerance",
                "webhook-timestamp is too far from the " + clockOwner + "'s clock");
    }

    /** The same scheme naming whose clock a stale timestamp is too far from ("the receiver's clock"). */
    public StandardWebhooksScheme namingTheClockOf(String owner) {
        return new StandardWebhooksScheme(signature, incomplete, malformed, owner);
    }

    /**
     * The same scheme answering a request whose headers are incomplete or not well formed with one refusal of the
     * receiver's own (the answers those receivers have always given).
     */
    public StandardWebhooksScheme refusingIncompleteHeadersAs(String code, String message) {
        Verdict v = Verdict.refused(code, message);
        return new StandardWebhooksScheme(signature, v, v, clockOwner);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean presentIn(SignedRequest request) {
        return request.header("webhook-signature") != null;
    }

    @Override
    public Verdict verify(SignedRequest request, List<String> secrets) {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        String sent = request.header("webhook-signature");
        if (id == null || timestamp == null || sent == null) {
            return incomplete;
        }
        StandardWebhooksSignature.Result last = StandardWebhooksSignature.Result.INVALID_SIGNATURE;
        boolean valid = false;
        for (String secret : secrets) {
            byte[] key;
            try {
                key = StandardWebhooksSignature.key(secret);
            } catch (IllegalArgumentException e) {
                continue; // not a whsec_ secret: it cannot sign this scheme
            }
            StandardWebhooksSignature.Result r = signature.verify(key, id, timestamp, sent, request.body());
            valid |= r == StandardWebhooksSignature.Result.VALID;
            last = r;
        }
        if (valid) {
            return Verdict.VALID;
        }
        return switch (last) {
            case TIMESTAMP_OUT_OF_TOLERANCE -> stale;
            case MALFORMED -> malformed;
            default -> Verdict.refused("invalid_signature", "signature does not match the payload");
        };
    }

    @Override
    public Map<String, String> sign(String messageId, Instant timestamp, byte[] body, List<String> secrets) {
        long ts = timestamp.getEpochSecond();
        StringBuilder sig = new StringBuilder();
        for (String secret : secrets) {
            if (sig.length() > 0) {
                sig.append(' ');
            }
            sig.append(StandardWebhooksSignature.sign(StandardWebhooksSignature.key(secret), messageId, ts, body));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", messageId);
        headers.put("webhook-timestamp", Long.toString(ts));
        headers.put("webhook-signature", sig.toString());
        return headers;
    }
}
