package dev.webhookhub.inbound;

import static dev.webhookhub.inbound.AdapterFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonFieldsTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode parse(String json, JsonFields fields) {
        return ReceivedBody.jsonObject(mapper, json.getBytes(StandardCharsets.UTF_8), fields);
    }

    private WebhookRejection rejected(String json, JsonFields fields) {
        WebhookRejection r = catchThrowableOfType(WebhookRejection.class, () -> parse(json, fields));
        assertThat(r).as("must be refused: %s", json).isNotNull();
        return r;
    }

    @Test
    void keepsTheNamedFieldsAndTheObjectsOnTheirWayOnly() throws Exception {
        JsonNode tree = parse("""
                {"ref":"refs/heads/main","commits":[{"id":"a"},{"id":"b"}],"size":2,
                 "head_commit":{"id":"c1","message":"m","tree_id":"t","author":{"name":"Ann","email":"e"}},
                 "repository":{"id":1,"html_url":"https://x/r","owner":{"login":"o"}},"compare":null}""",
                JsonFields.of("ref", "head_commit.id", "head_commit.author.name", "repository.html_url",
                        "compare", "missing.field"));
        assertThat(tree).isEqualTo(mapper.readTree("""
                {"ref":"refs/heads/main","head_commit":{"id":"c1","author":{"name":"Ann"}},
                 "repository":{"html_url":"https://x/r"},"compare":null}"""));
    }

    @Test
    void aNamedValueIsKeptWholeWhateverItsType() throws Exception {
        JsonNode tree = parse("{\"a\":{\"b\":[1,{\"c\":2}],\"d\":3},\"e\":[4]}", JsonFields.of("a.b", "e"));
        assertThat(tree).isEqualTo(mapper.readTree("{\"a\":{\"b\":[1,{\"c\":2}]},\"e\":[4]}"));
        // a shorter path keeps the whole value, in either order
        assertThat(parse("{\"a\":{\"b\":1,\"d\":3}}", JsonFields.of("a.b", "a")))
                .isEqualTo(mapper.readTree("{\"a\":{\"b\":1,\"d\":3}}"));
        assertThat(parse("{\"a\":{\"b\":1,\"d\":3}}", JsonFields.of("a", "a.b")))
                .isEqualTo(mapper.readTree("{\"a\":{\"b\":1,\"d\":3}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"ref\":\"x\",\"commits\":[{\"id\":\"a\" \"b\"}]}", // missing comma inside a skipped array
        "{\"ref\":\"x\",\"other\":{\"k\":tru}}", // bad literal inside a skipped object
        "{\"ref\":\"x\",\"other\":\"bad \\q escape\"}", // bad escape inside a skipped string
        "{\"ref\":\"x\",\"other\":[1,2}", // unbalanced brackets
        "{\"ref\":\"x\"", // truncated
    })
    void theSkippedPartsOfTheBodyMustStillBeValidJson(String json) {
        assertThat(rejected(json, JsonFields.of("ref")).code()).isEqualTo("malformed_json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"ref\":\"x\"}]", "\"ref\"", "42", "null", ""})
    void aBodyThatIsNoObjectIsRefusedAsWithoutTheFilter(String json) {
        assertThat(rejected(json, JsonFields.of("ref")).code()).isEqualTo("malformed_json");
        assertThat(rejected(json, null).code()).isEqualTo("malformed_json");
    }

    /** The push the GitHub adapter reads from its fields is the push it reads from the whole body. */
    @ParameterizedTest
    @ValueSource(strings = {"github/push.json", "github/ping.json", "github/release.published.json"})
    void theGithubPushFromItsFieldsIsThePushFromTheWholeBody(String file) {
        GitHubAdapter adapter = new GitHubAdapter();
        byte[] body = sample(file);
        JsonNode whole = ReceivedBody.jsonObject(mapper, body);
        JsonNode fields = ReceivedBody.jsonObject(mapper, body, adapter.pushFields("push"));
        assertThat(fields.size()).isLessThan(whole.size());
        assertThat(adapter.push("push", fields, "main")).isEqualTo(adapter.push("push", whole, "main"));
        assertThat(adapter.push("push", fields, "main")).isPresent();
        assertThat(adapter.pushFields("ping")).isNull();
        assertThat(adapter.pushFields("workflow_run")).isNull();
    }

    @Test
    void aGithubPushWithoutHeadCommitOrWithOddTypesReadsAsFromTheWholeBody() {
        GitHubAdapter adapter = new GitHubAdapter();
        for (String json : new String[] {
            "{\"ref\":\"refs/heads/main\",\"after\":\"0000000000000000000000000000000000000000\",\"head_commit\":null,"
                    + "\"pusher\":{\"name\":\"p\"},\"deleted\":true}",
            "{\"ref\":\"refs/tags/v1\",\"after\":\"abc\",\"head_commit\":\"odd\",\"sender\":{\"login\":\"s\"},"
                    + "\"repository\":[{\"html_url\":\"x\"}],\"compare\":{\"u\":1}}",
            "{\"ref\":\"refs/heads/dev\",\"after\":\"abc\",\"head_commit\":{\"id\":\"def\",\"author\":[]}}"}) {
            JsonNode whole = parse(json, null);
            JsonNode fields = parse(json, adapter.pushFields("push"));
            assertThat(adapter.push("push", fields, "main")).as(json).isEqualTo(adapter.push("push", whole, "main"));
        }
    }
}
