package dev.webhookhub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestHeadersTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void secretsAreRedactedRepeatedHeadersJoinedAndNamesKeptAsFirstSent() throws Exception {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("X-GitHub-Event", "push")
                .add("X-Hub-Signature-256", "sha256=abc")
                .add("authorization", "Bearer t0ken")
                .add("Accept", "a/b")
                .add("accept", "c/d")
                .add("Content-Type", "application/x-www-form-urlencoded")
                .add("X-Quote", "say \"hi\"\\ \u00e9");
        String json = RequestHeaders.redactedJson(mapper, headers, "application/json");
        JsonNode tree = mapper.readTree(json);
        assertThat(json).doesNotContain("sha256=abc").doesNotContain("t0ken");
        assertThat(tree.get("X-Hub-Signature-256").asText()).isEqualTo(RequestHeaders.REDACTED);
        assertThat(tree.get("authorization").asText()).isEqualTo(RequestHeaders.REDACTED);
        assertThat(tree.get("Accept").asText()).isEqualTo("a/b, c/d");
        assertThat(tree.has("accept")).isFalse();
        assertThat(tree.get("Content-Type").asText()).isEqualTo("application/json");
        assertThat(tree.get("X-Quote").asText()).isEqualTo("say \"hi\"\\ \u00e9");
        assertThat(tree.get("X-GitHub-Event").asText()).isEqualTo("push");
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("Accept", "authorization", "Content-Type", "X-GitHub-Event",
                "X-Hub-Signature-256", "X-Quote");
    }

    @Test
    void withoutARelabelledContentTypeTheSentOneIsKept() throws Exception {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json; charset=utf-8");
        assertThat(mapper.readTree(RequestHeaders.redactedJson(mapper, headers, null)).get("content-type").asText())
                .isEqualTo("application/json; charset=utf-8");
        assertThat(RequestHeaders.redactedJson(mapper, MultiMap.caseInsensitiveMultiMap(), null)).isEqualTo("{}");
    }
}
