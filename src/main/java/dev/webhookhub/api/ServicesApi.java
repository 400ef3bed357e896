package dev.webhookhub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.deliveries.DeliveryLog;
import dev.webhookhub.inbound.GitHubFormBody;
import dev.webhookhub.inbound.GitProviderAdapter;
import dev.webhookhub.inbound.ServiceDirectory;
import dev.webhookhub.store.ListCursor;
import dev.webhookhub.store.Page;
import dev.webhookhub.store.Service;
import dev.webhookhub.store.ServiceStore;
import dev.webhookhub.store.WebhookSecretStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/** Handlers for /api/containers/services: CRUD, webhook URLs and secrets and the delivery log. */
public final class ServicesApi {

    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,255}");

    private final ObjectMapper mapper;
    private final ServiceStore services;
    private final WebhookSecretStore secrets;
    private final ServiceDirectory directory;
    private final DeliveryLog deliveries;
    private final Map<String, GitProviderAdapter> providers;
    private final String publicUrl;
    private final Duration rotationGrace;

    public ServicesApi(ObjectMapper mapper, ServiceStore services, WebhookSecretStore secrets,
            ServiceDirectory directory, DeliveryLog deliveries,
            Map<String, GitProviderAdapter> providers, String publicUrl, Duration rotationGrace) {
        this.mapper = mapper;
        this.services = services;
        this.secrets = secrets;
        this.directory = directory;
        this.deliveries = deliveries;
        this.providers = providers;
        this.publicUrl = publicUrl;
        this.rotationGrace = rotationGrace;
    }

    public void create(Exchange exchange) {
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        String name = requiredName(body);
        Integer rateLimit = Requests.rateLimitPerMinute(body);
        Service s = services.create(name, optionalText(body, "git_repository", 1000),
                branch(body, "main"), buildConfig(body, null));
        if (rateLimit != null) {
            services.setRateLimit(s.id(), rateLimit);
        }
        Requests.respond(exchange, 201, json(s), mapper);
    }

    public void list(Exchange exchange) {
        int limit = Requests.intParam(exchange, "limit", 50, 1, 1000);
        int offset = Requests.intParam(exchange, "offset", 0, 0, Integer.MAX_VALUE);
        Requests.respond(exchange, 200, page(services.list(limit, offset), this::json), mapper);
    }

    public void get(Exchange exchange) {
        Requests.respond(exchange, 200, json(existing(exchange)), mapper);
    }

    public void update(Exchange exchange) {
        Service current = existing(exchange);
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        Service changed = new Service(current.id(),
                body.has("name") ? requiredName(body) : current.name(),
                body.has("git_repository") ? optionalText(body, "git_repository", 1000) : current.gitRepository(),
                body.has("git_branch") ? branch(body, current.gitBranch()) : current.gitBranch(),
                body.has("build_config") ? keepMaskedToken(buildConfig(body, current.buildConfig()),
                        current.buildConfig()) : current.buildConfig(),
                current.status(), current.createdAt(), current.updatedAt());
        Integer rateLimit = body.has("rate_limit_per_minute") ? Requests.rateLimitPerMinute(body) : null;
        Service saved = services.update(changed).orElseThrow(() -> ApiError.notFound("service"));
        if (body.has("rate_limit_per_minute")) {
            services.setRateLimit(saved.id(), rateLimit);
        }
        directory.invalidate(saved.id());
        Requests.respond(exchange, 200, json(saved), mapper);
    }

    /** The build_config fields that are secrets: never shown back, shown as {@code ********}. */
    static final List<String> BUILD_CONFIG_SECRETS = List.of("git_token", "git_ssh_key", "git_ssh_key_passphrase");

    /** A build_config sent back with a masked secret (git_token, git_ssh_key...) keeps the stored one. */
    private String keepMaskedToken(String changed, String stored) {
        JsonNode now = Requests.storedJson(mapper, changed);
        JsonNode before = Requests.storedJson(mapper, stored);
        boolean kept = false;
        if (now instanceof ObjectNode n) {
            for (String secret : BUILD_CONFIG_SECRETS) {
                if ("********".equals(n.path(secret).asText(null))) {
                    if (before != null && before.hasNonNull(secret)) {
                        n.set(secret, before.get(secret));
                    } else {
                        n.remove(secret);
                    }
                    kept = true;
                }
            }
        }
        return kept ? now.toString() : changed;
    }

    public void delete(Exchange exchange) {
        String id = Requests.pathParam(exchange, "serviceId");
        if (!services.delete(id)) {
            throw ApiError.notFound("service");
        }
        directory.invalidate(id);
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("id", id);
        Requests.respond(exchange, 200, out, mapper);
    }

    public void webhookUrl(Exchange exchange) {
        Service s = existing(exchange);
        String providerName = Requests.query(exchange, "provider");
        if (providerName == null || providerName.isBlank()) {
            throw ApiError.badRequest("missing_parameter", "provider is required: one of " + providers.keySet());
        }
        GitProviderAdapter provider = providers.get(providerName.trim().toLowerCase(java.util.Locale.ROOT));
        if (provider == null) {
            throw ApiError.badRequest("invalid_parameter", "provider must be one of " + providers.keySet());
        }
        boolean rotate = Requests.boolParam(exchange, "rotate");
        WebhookSecretStore.Issued issued = rotate
                ? secrets.rotate(s.id(), provider.name(), provider::newSecret, rotationGrace)
                : secrets.issue(s.id(), provider.name(), provider::newSecret);
        directory.invalidate(s.id());
        String url = publicUrl + "/api/containers/webhooks/" + provider.name() + "/" + s.id();
        ObjectNode out = mapper.createObjectNode();
        out.put("webhookUrl", url);
        out.put("secret", issued.secret());
        out.put("secretShown", issued.shown());
        out.put("provider", provider.name());
        out.put("instructions", provider.setupInstructions(url));
        if (rotate) {
            out.put("previousSecretValidUntil", Instant.now().plus(rotationGrace).toString());
        } else if (!issued.shown()) {
            out.put("message", "the secret was shown when it was created; call again with rotate=true for a new one");
        }
        Requests.respond(exchange, 200, out, mapper);
    }

    public void deliveries(Exchange exchange) {
        Service s = existing(exchange);
        int limit = Requests.intParam(exchange, "limit", 50, 1, 1000);
        int offset = Requests.intParam(exchange, "offset", 0, 0, Integer.MAX_VALUE);
        ListCursor before = Requests.cursorParam(exchange, "before");
        Requests.respond(exchange, 200, page(deliveries.listForService(s.id(), limit, offset, before), this::json),
                mapper);
    }

    /** One delivery with its redacted headers and its payload (JSON when it parses, text otherwise). */
    public void delivery(Exchange exchange) {
        Service s = existing(exchange);
        DeliveryLog.Entry e = deliveries.find(s.id(), Requests.pathParam(exchange, "deliveryId"))
                .orElseThrow(() -> ApiError.notFound("delivery"));
        ObjectNode out = json(e);
        byte[] body = deliveries.payload(e.id()).orElse(null);
        if (body == null) {
            out.putNull("payload");
        } else {
            byte[] json = body.length > 0 && body[0] != '{' && body[0] != '[' ? GitHubFormBody.payloadField(body)
                    : body;
            try {
                out.set("payload", mapper.readTree(json == null ? body : json));
                out.put("payload_format", json == body || json == null ? "json" : "json (form field payload)");
            } catch (java.io.IOException notJson) {
                out.put("payload", new String(body, java.nio.charset.StandardCharsets.UTF_8));
                out.put("payload_format", "text");
            }
        }
        Requests.respond(exchange, 200, out, mapper);
    }

    private Service existing(Exchange exchange) {
        return services.find(Requests.pathParam(exchange, "serviceId"))
                .orElseThrow(() -> ApiError.notFound("service"));
    }

    private static String requiredName(ObjectNode body) {
        JsonNode n = body.get("name");
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw ApiError.badRequest("invalid_field", "name is required and must be a non-empty string");
        }
        if (n.asText().length() > 200) {
            throw ApiError.badRequest("invalid_field", "name must be at most 200 characters");
        }
        return n.asText().trim();
    }

    private static String optionalText(ObjectNode body, String field, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().length() > max) {
            throw ApiError.badRequest("invalid_field", field + " must be a string of at most " + max + " characters");
        }
        return n.asText().trim();
    }

    private static String branch(ObjectNode body, String defaultValue) {
        JsonNode n = body.get("git_branch");
        if (n == null || n.isNull()) {
            return defaultValue;
        }
        if (!n.isTextual() || !BRANCH.matcher(n.asText()).matches()) {
            throw ApiError.badRequest("invalid_field", "git_branch must be a branch name such as main");
        }
        return n.asText();
    }

    private static String buildConfig(ObjectNode body, String defaultValue) {
        JsonNode n = body.get("build_config");
        if (n == null) {
            return defaultValue;
        }
        if (n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw ApiError.badRequest("invalid_field", "build_config must be a JSON object");
        }
        return n.toString();
    }

    private <T> ObjectNode page(Page<T> page, Function<T, ObjectNode> toJson) {
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        page.items().forEach(i -> items.add(toJson.apply(i)));
        out.put("total", page.total());
        out.put("limit", page.limit());
        out.put("offset", page.offset());
        if (page.nextBefore() != null) {
            out.put("next_before", page.nextBefore());
        }
        return out;
    }

    private ObjectNode json(Service s) {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", s.id());
        o.put("name", s.name());
        o.put("git_repository", s.gitRepository());
        o.put("git_branch", s.gitBranch());
        JsonNode buildConfig = Requests.storedJson(mapper, s.buildConfig());
        if (buildConfig instanceof ObjectNode bc) {
            // the clone token and ssh key are secrets: never shown back
            for (String secret : BUILD_CONFIG_SECRETS) {
                if (bc.hasNonNull(secret)) {
                    bc.put(secret, "********");
                }
            }
        }
        o.set("build_config", buildConfig);
        o.put("status", s.status());
        o.put("rate_limit_per_minute", services.rateLimit(s.id()).orElse(null));
        o.put("created_at", s.createdAt().toString());
        o.put("updated_at", s.updatedAt().toString());
        return o;
    }

    private ObjectNode json(DeliveryLog.Entry e) {
        return deliveryJson(mapper, e);
    }

    /** A delivery of the log as the admin API shows it (headers redacted when recorded; payload not included). */
    public static ObjectNode deliveryJson(ObjectMapper mapper, DeliveryLog.Entry e) {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", e.id());
        o.put("provider", e.provider());
        o.put("service_id", e.serviceId());
        o.put("delivery_id", e.deliveryId());
        o.put("event_type", e.eventType());
        o.put("payload_size", e.payloadSize());
        o.put("payload_truncated", e.payloadTruncated());
        o.set("headers", Requests.storedJson(mapper, e.headersJson()));
        if (e.signatureValid() == null) {
            o.putNull("signature_valid");
        } else {
            o.put("signature_valid", e.signatureValid());
        }
        o.put("status", e.status());
        o.put("response_code", e.responseCode());
        o.put("processing_time_ms", e.processingTimeMs());
        o.put("error", e.error());
        o.put("created_at", e.createdAt().toString());
        o.put("processed_at", e.processedAt() == null ? null : e.processedAt().toString());
        return o;
    }
}
