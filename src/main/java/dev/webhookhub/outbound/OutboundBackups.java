package dev.webhookhub.outbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.security.CredentialMask;
import dev.webhookhub.security.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** Writes a failed message (payload, headers, attempt history) as {@code <dir>/<messageId>.json}. */
public final class OutboundBackups {

    private final Path dir;
    private final ObjectMapper mapper;

    public OutboundBackups(Path dir, ObjectMapper mapper) {
        this.dir = dir;
        this.mapper = mapper;
    }

    public Path dir() {
        return dir;
    }

    public Path write(OutboundEndpoint endpoint, OutboundMessage message, Map<String, String> headers,
            List<OutboundAttempt> attempts, String reason) {
        ObjectNode root = mapper.createObjectNode();
        root.put("message_id", message.id());
        root.put("endpoint_id", endpoint.id());
        root.put("url", CredentialMask.url(endpoint.url()));
        root.put("event_type", message.eventType());
        root.put("created_at", message.createdAt().toString());
        root.put("reason", reason);
        ObjectNode h = root.putObject("headers");
        // custom headers are the endpoint's credentials: kept encrypted in the store, masked here
        headers.forEach((k, v) -> h.put(k, endpoint.headers().containsKey(k) ? CredentialMask.MASK : v));
        String body = new String(message.payload(), StandardCharsets.UTF_8);
        try {
            root.set("payload", mapper.readTree(body));
        } catch (IOException e) {
            root.put("payload", body);
        }
        OutboundAttempt.writeAll(attempts, root.putArray("attempts"));
        try {
            OwnerOnlyFiles.createPrivateDirectories(dir);
            Path target = dir.resolve(message.id() + ".json");
            Path tmp = dir.resolve(message.id() + ".json.tmp");
            OwnerOnlyFiles.write(tmp, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write outbound backup for " + message.id(), e);
        }
    }
}
