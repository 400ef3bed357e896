package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated requests (fixed seed) over every receiver and admin path: methods x paths x odd ids x bodies x content
 * types x query strings x credentials, signed where a receiver needs it. No answer may be a 5xx, every error answer
 * is JSON with a {@code code}, and no answer carries stack trace text. Requests Vert.x refuses before any route
 * (request line over 4 KB, headers over 8 KB, malformed {@code %%} escapes; see the README) are not generated.
 */
class HttpFuzzTest {

    /** Fixed; -Dhub.fuzz.seed=N (and -Dhub.fuzz.requests=N) explore further. */
    static final long SEED = Long.getLong("hub.fuzz.seed", 20261201L);
    static final int REQUESTS = Integer.getInteger("hub.fuzz.requests", 5_000);
    static final String JENKINS_TOKEN = "fuzz-jenkins-token-0123456789abcdef";
    static final String FOUNDRIES_SECRET = "fuzz-foundries-secret-0123456789";
    static final String RESULTS_SECRET = "fuzz-results-secret-0123456789ab";

    @TempDir
    static Path dir;
    static TestHub hub;
    static final Map<String, String> secrets = new LinkedHashMap<>();
    static String service;
    static String endpoint;
    static String setting;
    static String webhook;
    static String webhookUrl;
    static String syncConfig;
    /** A real payload for each kind of receiver (provider samples). */
    static final Map<String, String> samples = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dir, Map.of("hub.jenkins.webhook-token", JENKINS_TOKEN,
                "hub.foundries.secrets.default", FOUNDRIES_SECRET,
                "hub.results-receiver.secret", RESULTS_SECRET,
                "hub.results-receiver.scheme", "github"));
        service = hub.createService("fuzz", "main");
        for (String p : new String[] { "github", "gitlab", "bitbucket", "azure-devops" }) {
            secrets.put(p, hub.issueSecret(service, p));
        }
        HttpResponse<String> e = hub.admin("POST", "/api/outbound/endpoints",
                "{\"url\":\"https://receiver.example.test/hook\",\"event_types\":[\"*\"]}");
        endpoint = e.statusCode() == 201 ? TestHub.json(e).get("id").asText() : "no-endpoint";
        HttpResponse<String> n = hub.admin("POST", "/api/notifications", "{\"notification_type\":\"email\","
                + "\"event_triggers\":[\"deployment_failed\"],\"recipients\":[\"ops@example.test\"]}");
        setting = n.statusCode() == 201 ? TestHub.json(n).path("id").asText(TestHub.json(n).path("setting")
                .path("id").asText("no-setting")) : "no-setting";
        HttpResponse<String> sync = hub.admin("POST", "/api/sync-configs", "{\"name\":\"fuzz-base\",\"source\":"
                + "{\"type\":\"http-json\",\"url\":\"https://api.example.test/b\",\"items\":\"$.b\"},\"target\":"
                + "{\"type\":\"sql\",\"table\":\"fuzz_base\",\"key\":[\"id\"]}}");
        syncConfig = TestHub.json(sync).get("id").asText();
        HttpResponse<String> w = hub.admin("POST", "/api/webhooks/register", "{\"name\":\"fuzz\","
                + "\"event_types\":[\"workitem.created\"],\"rate_limit_per_minute\":100000}");
        webhook = TestHub.json(w).get("webhook").get("id").asText();
        webhookUrl = TestHub.json(w).get("webhook").get("webhook_url").asText();
        secrets.put("registered", TestHub.json(w).get("webhook").get("secret").asText());
        Map<String, String> files = Map.of("github", "github/push.json", "gitlab", "gitlab/push_hook.json",
                "bitbucket", "bitbucket/repo_push.json", "azure-devops", "azure-devops/git.push.json",
                "jenkins", "jenkins/notification.build_completed.json", "foundries", "jobserv/build_complete.json",
                "registered", "azure-devops/workitem.created.json");
        for (Map.Entry<String, String> f : files.entrySet()) {
            samples.put(f.getKey(), Files.readString(TestHub.samples().resolve(f.getValue())));
        }
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    /** One route: method, path template ({id} is replaced), and a valid body for it (null: none). */
    record Route(String method, String path, String body, String kind) {
    }

    static List<Route> routes() {
        String svc = "{\"name\":\"n\",\"git_repository\":\"https://example.test/r.git\",\"git_branch\":\"main\","
                + "\"build_config\":{\"dockerfile\":\"Dockerfile\"}}";
        String ep = "{\"url\":\"https://receiver.example.test/x\",\"event_types\":[\"build.completed\"],"
                + "\"description\":\"d\",\"signature_scheme\":\"standard-webhooks\",\"headers\":{\"X-A\":\"b\"},"
                + "\"timeout_seconds\":10,\"enabled\":true,\"rate_limit\":5}";
        String nt = "{\"notification_type\":\"email\",\"event_triggers\":[\"deployment_failed\"],"
                + "\"recipients\":[\"a@example.test\"],\"is_active\":true}";
        String stage = "{\"status\":\"success\",\"summary\":\"ok\",\"details\":{\"n\":1}}";
        String wh = "{\"name\":\"w\",\"connector_id\":2,\"event_types\":[\"a\",\"b\"],"
                + "\"metadata\":{\"k\":\"v\"},\"is_active\":true,\"rate_limit_per_minute\":100000}";
        String sc = "{\"name\":\"fuzz-sync\",\"source\":{\"type\":\"http-json\",\"url\":\"https://api.example.test/b\","
                + "\"items\":\"$.builds\",\"id\":\"id\"},\"target\":{\"type\":\"sql\",\"table\":\"fuzz_synced\","
                + "\"key\":[\"id\"]},\"mapping\":{\"title\":\"name\"},\"trigger_type\":\"manual\"}";
        String results = "{\"type\":\"pipeline_complete\",\"pipeline\":{\"id\":\"p1\",\"status\":\"success\"}}";
        return List.of(
                new Route("POST", "/api/containers/webhooks/github/{svc}", null, "github"),
                new Route("POST", "/api/containers/webhooks/gitlab/{svc}", null, "gitlab"),
                new Route("POST", "/api/containers/webhooks/bitbucket/{svc}", null, "bitbucket"),
                new Route("POST", "/api/containers/webhooks/azure-devops/{svc}", null, "azure-devops"),
                new Route("POST", "/api/containers/webhooks/{id}/{svc}", null, "github"),
                new Route("POST", "/api/webhooks/jenkins", null, "jenkins"),
                new Route("POST", "/api/webhooks/foundries/default", null, "foundries"),
                new Route("POST", "/api/webhooks/foundries/{id}", null, "foundries"),
                new Route("POST", "/webhook/results", results, "results"),
                new Route("GET", "/api/containers/services", null, "admin"),
                new Route("POST", "/api/containers/services", svc, "admin"),
                new Route("GET", "/api/containers/services/{svc}", null, "admin"),
                new Route("PUT", "/api/containers/services/{svc}", svc, "admin"),
                new Route("DELETE", "/api/containers/services/{id}", null, "admin"),
                new Route("GET", "/api/containers/services/{svc}/webhook-url", null, "admin"),
                new Route("GET", "/api/containers/services/{svc}/deployments", null, "admin"),
                new Route("GET", "/api/containers/services/{svc}/deliveries", null, "admin"),
                new Route("GET", "/api/outbound/endpoints", null, "admin"),
                new Route("POST", "/api/outbound/endpoints", ep, "admin"),
                new Route("GET", "/api/outbound/endpoints/{ep}", null, "admin"),
                new Route("PUT", "/api/outbound/endpoints/{ep}", ep, "admin"),
                new Route("DELETE", "/api/outbound/endpoints/{id}", null, "admin"),
                new Route("GET", "/api/outbound/endpoints/{ep}/messages", null, "admin"),
                new Route("POST", "/api/outbound/endpoints/{ep}/recover", null, "admin"),
                new Route("GET", "/api/outbound/messages/{id}", null, "admin"),
                new Route("POST", "/api/outbound/messages/{id}/redeliver", null, "admin"),
                new Route("GET", "/api/pipeline-runs", null, "admin"),
                new Route("GET", "/api/pipeline-runs/{id}", null, "admin"),
                new Route("POST", "/api/jenkins/sync-now", null, "admin"),
                new Route("POST", "/api/pipelines/{id}/stages/build", stage, "admin"),
                new Route("POST", "/api/pipelines/{id}/stages/{id}", stage, "admin"),
                new Route("POST", "/api/pipelines/{id}/complete", "{}", "admin"),
                new Route("GET", "/api/pipelines/{id}/results", null, "admin"),
                new Route("GET", "/api/results/received", null, "admin"),
                new Route("GET", "/api/notifications", null, "admin"),
                new Route("POST", "/api/notifications", nt, "admin"),
                new Route("POST", "/api/notifications/test", "{\"recipients\":[\"a@example.test\"]}", "admin"),
                new Route("GET", "/api/notifications/{nt}", null, "admin"),
                new Route("PUT", "/api/notifications/{nt}", nt, "admin"),
                new Route("DELETE", "/api/notifications/{id}", null, "admin"),
                new Route("GET", "/api/notifications/{nt}/messages", null, "admin"),
                new Route("POST", "/api/notifications/messages/{id}/redeliver", null, "admin"),
                new Route("POST", "/api/webhooks/receive/{wh-url}", null, "registered"),
                new Route("POST", "/api/webhooks/receive/{id}", null, "registered"),
                new Route("POST", "/api/webhooks/register", wh, "admin"),
                new Route("GET", "/api/webhooks", null, "admin"),
                new Route("GET", "/api/webhooks/{wh}", null, "admin"),
                new Route("PUT", "/api/webhooks/{wh}", wh, "admin"),
                new Route("DELETE", "/api/webhooks/{id}", null, "admin"),
                new Route("POST", "/api/webhooks/{wh}/rotate-secret", null, "admin"),
                new Route("GET", "/api/webhooks/{wh}/deliveries", null, "admin"),
                new Route("POST", "/api/webhooks/{wh}/deliveries/{id}/replay", null, "admin"),
                new Route("POST", "/api/containers/services/{svc}/deliveries/{id}/replay", null, "admin"),
                new Route("GET", "/api/sync-configs", null, "admin"),
                new Route("POST", "/api/sync-configs", sc, "admin"),
                new Route("GET", "/api/sync-configs/{sc}", null, "admin"),
                new Route("PUT", "/api/sync-configs/{sc}", sc, "admin"),
                new Route("DELETE", "/api/sync-configs/{id}", null, "admin"),
                new Route("POST", "/api/jobs/queue/{sc}", "{\"dry_run\":true,\"work_item_ids\":[\"1\"]}", "admin"),
                new Route("GET", "/api/jobs/queue", null, "admin"),
                new Route("GET", "/api/jobs/status/{id}", null, "admin"),
                new Route("GET", "/api/execute/history/{sc}", null, "admin"),
                new Route("GET", "/api/scheduler/status", null, "admin"),
                new Route("POST", "/api/scheduler/schedule/{sc}", "{\"schedule_cron\":\"0 * * * *\"}", "admin"),
                new Route("POST", "/api/scheduler/unschedule/{sc}", null, "admin"),
                new Route("GET", "/api/dashboard/overview", null, "admin"),
                new Route("POST", "/api/events/ticket", null, "admin"),
                new Route("GET", "/ui/{id}", null, "open"),
                new Route("GET", "/observe/health", null, "admin"),
                new Route("GET", "/observe/health/ready", null, "open"),
                new Route("GET", "/observe/health/live", null, "open"),
                new Route("GET", "/observe/metrics", null, "open"),
                new Route("GET", "/observe/info", null, "admin"),
                new Route("GET", "/{id}", null, "open"),
                new Route("GET", "/api/{id}", null, "admin"));
    }

    static final String[] ODD_IDS = { "1", "0", "-1", "99999999999999999999", "..", "%2E%2E", "a%2Fb", "%20",
            "%C3%A9t%C3%A9", "%F0%9F%98%80", "%E2%80%AE", "x".repeat(300), "y".repeat(1500), "null", "undefined",
            "%27%3B--", "%3Cscript%3E", "a.b", "~", "%FF", "%C0%AE", "00000000-0000-0000-0000-000000000000", "%25",
            "%0A", "%09", "+", "a+b" };
    static final String[] QUERIES = { "", "", "", "limit=-1", "limit=0", "limit=999999", "limit=abc", "limit=1",
            "offset=abc", "offset=-5", "offset=99999999999", "limit=1000&offset=0", "before=abc", "before=",
            "provider=github", "provider=nope", "provider=", "rotate=maybe", "status=delivered", "status=%00x",
            "status=" + "s".repeat(500), "job=%C3%A9", "since=yesterday", "since=2026-01-01T00:00:00Z",
            "source=jenkins&status=success", "limit=1&limit=2", "token=wrong", "%3D=%3D", "a", "=", "&&&",
            "limit=%F0%9F%98%80", "since=99999-99-99", "q=" + "z".repeat(2000) };
    static final String[] CONTENT_TYPES = { "application/json", "application/json", "application/json; charset=utf-8",
            null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
            "multipart/form-data", "application/json; charset=ebcdic", "application/json; charset=utf-16",
            "application/json; charset=\"", "application/xml", "*/*", "application/json; charset=iso-8859-1",
            "application/vnd.api+json", ";;;", "application/json; boundary=" + "b".repeat(200) };

    @Test
    void generatedRequestsNeverFailInsideTheHub() throws Exception {
        Random random = new Random(SEED);
        List<Route> routes = routes();
        List<Supplier<HttpRequest>> requests = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Route route = routes.get(random.nextInt(routes.size()));
            kinds.add(route.kind());
            requests.add(generate(random, route));
        }
        Map<String, Integer> accepted = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        HttpClient http = TestHub.httpClient().executor(pool).build();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(8);
        long started = System.nanoTime();
        List<CompletableFuture<?>> all = new ArrayList<>();
        try {
            for (int i = 0; i < requests.size(); i++) {
                HttpRequest req = requests.get(i).get();
                String kind = kinds.get(i);
                inFlight.acquire();
                all.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((r, error) -> {
                            inFlight.release();
                            if (r != null && r.statusCode() < 300) {
                                accepted.merge(kind, 1, Integer::sum);
                            }
                            String problem = error != null ? "no answer: " + error : check(req, r);
                            if (problem != null) {
                                problems.add(req.method() + " " + req.uri() + " "
                                        + req.headers().firstValue("Content-Type").orElse("-") + " (body "
                                        + req.bodyPublisher().map(p -> p.contentLength()).orElse(-1L) + " bytes): "
                                        + problem);
                            }
                        }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        } finally {
            pool.shutdownNow();
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.println("fuzz: " + REQUESTS + " requests in " + seconds + " s, " + problems.size() + " problems");
        System.out.println("fuzz: 2xx answers per kind of route: " + accepted);
        assertThat(problems).as("requests the hub failed on").isEmpty();
        // the generated requests reach past the signature checks and the admin token, not only refusals
        assertThat(accepted.keySet()).contains("github", "gitlab", "bitbucket", "azure-devops", "jenkins",
                "foundries", "results", "registered", "admin");
        assertThat(seconds).as("seconds for " + REQUESTS + " requests").isLessThan(60);
    }

    /** Found by hand first (issue 12): authenticated requests with odd content types were answered 500. */
    @Test
    void formContentTypesOnGetsAndUnknownCharsetsAreNotFailures() {
        for (String ct : new String[] { "multipart/form-data; boundary=x", "multipart/form-data",
                "application/x-www-form-urlencoded" }) {
            for (String body : new String[] { null, "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n" }) {
                HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/api/containers/services")))
                        .header("Authorization", "Bearer " + hub.token()).header("Content-Type", ct)
                        .method("GET", body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body)));
                assertThat(r.statusCode()).as(ct + " " + r.body()).isEqualTo(200);
                assertThat(TestHub.json(r).has("items")).isTrue();
            }
        }
        for (String path : new String[] { "/api/containers/services", "/api/outbound/endpoints", "/webhook/results",
                "/api/webhooks/jenkins", "/api/containers/webhooks/github/" + service }) {
            for (String charset : new String[] { "ebcdic", "x-nope", "\"utf-8", "%%" }) {
                HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(hub.url(path)))
                        .header("Authorization", "Bearer " + hub.token())
                        .header("Content-Type", "application/json; charset=" + charset)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")));
                assertThat(r.statusCode()).as(path + " " + charset + " " + r.body()).isEqualTo(415);
                assertThat(TestHub.json(r).get("code").asText()).isEqualTo("unsupported_media_type");
            }
        }
    }

    static String check(HttpRequest req, HttpResponse<String> r) {
        int status = r.statusCode();
        String body = r.body();
        if (status >= 500) {
            return status + " " + cut(body);
        }
        if (body.contains("at java.") || body.contains("\tat ") || body.contains("Exception")) {
            return "stack trace text in " + status + ": " + cut(body);
        }
        if (status >= 400 && !req.method().equals("HEAD")) {
            try {
                JsonNode json = TestHub.MAPPER.readTree(body);
                if (json == null || !json.path("code").isTextual()) {
                    return status + " without a code: " + cut(body);
                }
            } catch (Exception e) {
                return status + " not JSON: " + cut(body);
            }
        }
        return null;
    }

    static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    Supplier<HttpRequest> generate(Random random, Route route) {
        String path = route.path()
                .replace("{svc}", random.nextInt(4) == 0 ? odd(random) : service)
                .replace("{ep}", random.nextInt(4) == 0 ? odd(random) : endpoint)
                .replace("{nt}", random.nextInt(4) == 0 ? odd(random) : setting)
                .replace("{wh-url}", random.nextInt(4) == 0 ? odd(random) : webhookUrl)
                .replace("{wh}", random.nextInt(4) == 0 ? odd(random) : webhook)
                .replace("{sc}", random.nextInt(4) == 0 ? odd(random) : syncConfig);
        while (path.contains("{id}")) {
            path = path.replaceFirst("\\{id\\}", java.util.regex.Matcher.quoteReplacement(odd(random)));
        }
        String query = QUERIES[random.nextInt(QUERIES.length)];
        if (route.kind().equals("jenkins") && random.nextInt(3) > 0) {
            query = "token=" + JENKINS_TOKEN + (query.isEmpty() ? "" : "&" + query);
        }
        String method = random.nextInt(6) == 0
                ? new String[] { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" }[random.nextInt(7)]
                : route.method();
        byte[] body = body(random, route, method);
        String contentType = random.nextInt(4) == 0 ? CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]
                : "application/json";
        int auth = random.nextInt(5); // 0 none, 1 wrong, else right
        String uri = hub.url(path + (query.isEmpty() ? "" : "?" + query));
        String finalMethod = method;
        return () -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            sign(b, route, body, auth);
            b.method(finalMethod, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            return b.build();
        };
    }

    static String odd(Random random) {
        return ODD_IDS[random.nextInt(ODD_IDS.length)];
    }

    static void sign(HttpRequest.Builder b, Route route, byte[] body, int auth) {
        byte[] signed = body == null ? new byte[0] : body;
        String id = java.util.UUID.randomUUID().toString();
        switch (route.kind()) {
            case "admin" -> {
                if (auth == 1) {
                    b.header("Authorization", "Bearer wrong-" + id);
                } else if (auth > 1) {
                    b.header("Authorization", "Bearer " + hub.token());
                }
            }
            case "github", "bitbucket" -> {
                String secret = auth == 1 ? "wrong" : secrets.get(route.kind());
                if (auth > 0) {
                    b.header("X-Hub-Signature-256", Signatures.githubSha256(secret, signed));
                    b.header("X-Hub-Signature", Signatures.githubSha256(secret, signed));
                }
                b.header("X-GitHub-Event", auth == 3 ? "ping" : "push").header("X-GitHub-Delivery", id)
                        .header("X-Event-Key", "repo:push").header("X-Request-UUID", id);
            }
            case "gitlab" -> {
                if (auth > 0) {
                    b.header("X-Gitlab-Token", auth == 1 ? "wrong" : secrets.get("gitlab"));
                }
                b.header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Event-UUID", id);
            }
            case "azure-devops" -> {
                if (auth > 0) {
                    b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            ("hub:" + (auth == 1 ? "wrong" : secrets.get("azure-devops")))
                                    .getBytes(StandardCharsets.UTF_8)));
                }
            }
            case "jenkins" -> {
                if (auth == 1) {
                    b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "jenkins:wrong".getBytes(StandardCharsets.UTF_8)));
                }
            }
            case "foundries" -> {
                if (auth > 0) {
                    b.header("X-JobServ-Sig", "sha256:" + Signatures.githubSha256(auth == 1 ? "wrong"
                            : FOUNDRIES_SECRET, signed).substring("sha256=".length()));
                }
            }
            case "registered" -> {
                if (auth > 0) {
                    b.header("X-Webhook-Signature", Signatures.githubSha256(auth == 1 ? "wrong"
                            : secrets.get("registered"), signed));
                }
                b.header("X-GitHub-Delivery", id);
            }
            case "results" -> {
                if (auth > 0) {
                    b.header("X-Hub-Signature-256", Signatures.githubSha256(auth == 1 ? "wrong" : RESULTS_SECRET,
                            signed));
                }
                b.header("webhook-id", id);
            }
            default -> {
                if (auth > 1) {
                    b.header("Authorization", "Bearer " + hub.token());
                }
            }
        }
    }

    static byte[] body(Random random, Route route, String method) {
        String valid = route.body() != null ? route.body() : samples.getOrDefault(route.kind(), "{\"a\":1}");
        int pick = random.nextInt(24);
        String text = switch (pick) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> valid.substring(0, random.nextInt(Math.max(1, valid.length())));
            case 3 -> "[".repeat(2000) + "]".repeat(2000);
            case 4 -> "{\"a\":" + "{\"a\":".repeat(600) + "1" + "}".repeat(601);
            case 5 -> "{\"x\":\"" + "h".repeat(200_000) + "\"}";
            case 6 -> "{\"name\":\"a\\u0000b\",\"url\":\"\\u0000\"}";
            case 7 -> "null";
            case 8 -> "[1,2,3]";
            case 9 -> "\"text\"";
            case 10 -> "12345678901234567890123456789";
            case 11 -> "\u0000\u0001\u0002";
            case 12 -> "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--xyz--\r\n";
            case 13 -> "a=b&c=%ZZ&" + "k=v&".repeat(50);
            case 14, 15, 16, 17 -> mutate(random, valid);
            default -> valid;
        };
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    static final String[] VALUES = { "null", "true", "-1", "0", "1e400", "3.5", "\"\"", "\" \"", "[]", "{}",
            "[null]", "{\"a\":[1,{\"b\":null}]}", "\"\\u0000\"", "\"\\ud800\"", "\"" + "v".repeat(5000) + "\"",
            "\"\\u00e9\\u202e\\ud83d\\ude00\"", "99999999999999999999", "\"not-a-url\"", "\"http://[::1]:0/\"",
            "\"javascript:alert(1)\"", "[\"*\",\"*\"]", "[1,2]", "\"email\"", "\"slack\"", "\"../../etc/passwd\"" };

    /** The valid body with one field replaced, removed or added, at the top level or in an object inside. */
    static String mutate(Random random, String valid) {
        try {
            JsonNode node = TestHub.MAPPER.readTree(valid);
            if (!(node instanceof com.fasterxml.jackson.databind.node.ObjectNode object)) {
                return valid;
            }
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            int changes = 1 + random.nextInt(3);
            for (int i = 0; i < changes; i++) {
                String name = names.isEmpty() || random.nextInt(5) == 0 ? "extra_" + random.nextInt(3)
                        : names.get(random.nextInt(names.size()));
                if (random.nextInt(6) == 0) {
                    object.remove(name);
                } else {
                    object.set(name, TestHub.MAPPER.readTree(VALUES[random.nextInt(VALUES.length)]));
                }
            }
            return TestHub.MAPPER.writeValueAsString(object);
        } catch (Exception e) {
            return valid;
        }
    }
}
