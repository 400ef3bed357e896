package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.ops.JolokiaGuard;
import dev.webhookhub.support.TestHub;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.ObjectName;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Management is authenticated (admin token or the operator's basic credentials), and Jolokia runs no operation that
 * sends to an endpoint URI or touches the JVM, even for operators: every operation of every MBean is walked.
 */
class ManagementSecurityTest {

    static final String OPS_USER = "hawtio-operator";
    static final String OPS_PASSWORD = "ops-password-for-the-management-test";
    static final String CONTEXT = "org.apache.camel:context=webhook-hub,type=context,name=\"webhook-hub\"";
    static final String THROWAWAY = "org.apache.camel:context=webhook-hub,type=routes,name=\"throwaway\"";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path outside;
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        // wrong credentials are tried on purpose here; the limit per client is tested in ManagementAuthLimitsTest
        hub = TestHub.start(dataDir, Map.of("hub.ops.user", OPS_USER, "hub.ops.password", OPS_PASSWORD,
                "hub.auth.failure-limit", "1000"));
        // a route of no consequence, to run the allowed lifecycle operations on
        hub.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:throwaway?period=3600000&delay=3600000").routeId("throwaway").log("never");
            }
        });
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> request(String method, String path, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url(path))).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return hub.send(b);
    }

    private static HttpResponse<String> jolokia(String body) {
        return request("POST", "/observe/jolokia", body, "Bearer " + hub.token());
    }

    private static void assertJsonError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(json(r).get("success").asBoolean()).isFalse();
        assertThat(json(r).get("code").asText()).isEqualTo(code);
    }

    @Test
    void managementNeedsTheAdminTokenOrTheOperatorsBasicCredentials() {
        String version = "{\"type\":\"version\"}";
        for (String[] target : new String[][] {{"GET", "/observe/jolokia/version"}, {"POST", "/observe/jolokia"},
                {"GET", "/observe/jolokia"}, {"GET", "/observe/info"}, {"GET", "/observe/health"},
                {"GET", "/observe//jolokia/version"}, {"GET", "/observe/./jolokia/version"},
                {"GET", "/observe/%6Aolokia/version"}}) {
            String body = target[0].equals("POST") ? version : null;
            HttpResponse<String> anonymous = request(target[0], target[1], body, null);
            assertJsonError(anonymous, 401, "unauthorized");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as("Hawtio's browser login")
                    .hasValue("Basic realm=\"webhook-hub\"");
            assertJsonError(request(target[0], target[1], body, "Bearer not-the-token"), 401, "unauthorized");
            assertJsonError(request(target[0], target[1], body, basic(OPS_USER, "wrong")), 401, "unauthorized");
            assertJsonError(request(target[0], target[1], body, basic("someone", OPS_PASSWORD)), 401, "unauthorized");
        }
        for (String auth : new String[] {"Bearer " + hub.token(), basic(OPS_USER, OPS_PASSWORD)}) {
            assertThat(request("GET", "/observe/health", null, auth).statusCode()).isEqualTo(200);
            assertThat(json(request("GET", "/observe/health", null, auth)).get("checks").isArray()).isTrue();
            assertThat(request("GET", "/observe/info", null, auth).statusCode()).isEqualTo(200);
            HttpResponse<String> v = request("POST", "/observe/jolokia", version, auth);
            assertThat(v.statusCode()).as(v.body()).isEqualTo(200);
            assertThat(json(v).get("status").asInt()).isEqualTo(200);
            assertThat(json(request("GET", "/observe/jolokia/version", null, auth)).get("status").asInt())
                    .isEqualTo(200);
        }
        for (String path : new String[] {"/observe/health/live", "/observe/health/ready", "/observe/metrics"}) {
            assertThat(request("GET", path, null, null).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void browsersOnOtherSitesCannotUseTheOperatorsCredentials() {
        String stop = "{\"type\":\"exec\",\"mbean\":\"" + THROWAWAY.replace("\"", "\\\"")
                + "\",\"operation\":\"stop()\"}";
        HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/observe/jolokia")))
                .header("Authorization", basic(OPS_USER, OPS_PASSWORD)).header("Origin", "https://evil.example")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(stop)));
        assertJsonError(r, 403, "forbidden");
        assertThat(hub.context().getRouteController().getRouteStatus("throwaway")).isEqualTo(ServiceStatus.Started);
        HttpResponse<String> sameOrigin = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/observe/jolokia")))
                .header("Authorization", basic(OPS_USER, OPS_PASSWORD))
                .header("Origin", "http://127.0.0.1:" + hub.port())
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}")));
        assertThat(sameOrigin.statusCode()).as(sameOrigin.body()).isEqualTo(200);
    }

    /** The exploit: the CamelContext's requestBody runs any endpoint (here sql: and file:). */
    @Test
    void theRequestBodyExploitIsRefusedByPostAndGetWithAndWithoutCredentials() throws Exception {
        Path pwned = outside.resolve("pwned.txt");
        String sql = "{\"type\":\"exec\",\"mbean\":\"" + CONTEXT.replace("\"", "\\\"") + "\","
                + "\"operation\":\"requestBody(java.lang.String,java.lang.Object)\","
                + "\"arguments\":[\"sql:SELECT COUNT(*) AS n FROM services\",\"\"]}";
        String file = "{\"type\":\"exec\",\"mbean\":\"" + CONTEXT.replace("\"", "\\\"") + "\","
                + "\"operation\":\"sendBody(java.lang.String,java.lang.Object)\","
                + "\"arguments\":[\"file:" + outside + "?fileName=pwned.txt\",\"owned\"]}";
        for (String body : new String[] {sql, file, "[{\"type\":\"version\"}," + sql + "]",
                sql.replace("\"exec\"", "\"EXEC\"")}) {
            assertJsonError(request("POST", "/observe/jolokia", body, null), 401, "unauthorized");
            HttpResponse<String> r = jolokia(body);
            assertJsonError(r, 403, "forbidden");
            assertThat(r.body()).doesNotContain("\"N\"").doesNotContain("value");
        }
        String getPath = "/observe/jolokia/exec/" + URLEncoder.encode(CONTEXT, StandardCharsets.UTF_8)
                + "/requestBody(java.lang.String,java.lang.Object)/"
                + URLEncoder.encode("sql:SELECT COUNT(*) AS n FROM services", StandardCharsets.UTF_8).replace("+", "%20")
                + "/%20";
        String viaP = "/observe/jolokia/?p=" + URLEncoder.encode("/exec/" + CONTEXT
                + "/requestBody(java.lang.String,java.lang.Object)/sql:SELECT 1/x", StandardCharsets.UTF_8);
        for (String path : new String[] {getPath, viaP, getPath.replace("/exec/", "/EXEC/")}) {
            assertJsonError(request("GET", path, null, null), 401, "unauthorized");
            HttpResponse<String> r = request("GET", path, null, "Bearer " + hub.token());
            assertJsonError(r, 403, "forbidden");
            assertThat(json(request("GET", path, null, basic(OPS_USER, OPS_PASSWORD))).get("code").asText())
                    .isEqualTo("forbidden");
        }
        assertThat(pwned).doesNotExist();
        assertThat(Files.list(outside)).isEmpty();

        // and Jolokia's own policy (the second line) refuses it too
        PolicyRestrictor policy = policy();
        ObjectName context = new ObjectName(CONTEXT);
        assertThat(policy.isOperationAllowed(context, "requestBody(java.lang.String,java.lang.Object)")).isFalse();
        assertThat(policy.isOperationAllowed(context, "requestBody")).isFalse();
        assertThat(policy.isOperationAllowed(context, "sendBody(java.lang.String,java.lang.Object)")).isFalse();
        assertThat(policy.isTypeAllowed(org.jolokia.server.core.util.RequestType.EXEC)).isFalse();
        assertThat(policy.isTypeAllowed(org.jolokia.server.core.util.RequestType.WRITE)).isFalse();
    }

    private static PolicyRestrictor policy() throws Exception {
        try (InputStream in = ManagementSecurityTest.class.getResourceAsStream("/jolokia-access.xml")) {
            return new PolicyRestrictor(in);
        }
    }

    /** Operation names as Jolokia requests give them: each signature, and the bare name. */
    private static List<String> operationNames(String name, JsonNode op) {
        List<String> names = new ArrayList<>();
        names.add(name);
        List<JsonNode> signatures = new ArrayList<>();
        if (op.isArray()) {
            op.forEach(signatures::add);
        } else {
            signatures.add(op);
        }
        for (JsonNode sig : signatures) {
            List<String> types = new ArrayList<>();
            sig.path("args").forEach(a -> types.add(a.path("type").asText()));
            names.add(name + "(" + String.join(",", types) + ")");
        }
        return names;
    }

    private static int argumentCount(String operation) {
        int open = operation.indexOf('(');
        if (open < 0 || operation.endsWith("()")) {
            return 0;
        }
        return operation.substring(open + 1, operation.length() - 1).split(",").length;
    }

    /** The allow-list, written out here so that a change to the hub's lists must change this test too. */
    private static boolean allowListed(ObjectName name, String operation) {
        String type = name.getKeyProperty("type");
        if (!"org.apache.camel".equals(name.getDomain()) || !Set.of("context", "routes").contains(type)) {
            return false;
        }
        return operation.matches("(start|stop|suspend|resume)(\\(\\))?")
                || operation.equals("dumpStepStatsAsXml(boolean)")
                || (type.equals("context") ? Set.of("dumpRoutesAsXml()", "dumpRoutesAsYaml()",
                        "dumpRoutesStatsAsXml(boolean,boolean)")
                        : Set.of("dumpRouteAsXml()", "dumpRouteAsYaml()", "dumpRouteStatsAsXml(boolean,boolean)"))
                        .contains(operation);
    }

    /**
     * Lists every MBean through Jolokia (with credentials) and tries every operation under every name a request can
     * give it. Only the allow-listed lifecycle and dump operations of the context and routes pass; they are not run
     * here on the hub's own routes (stop would break the hub) but on a throwaway route below. Every other one is
     * refused by the guard and by Jolokia's own policy (both decisions checked for every MBean), and is sent over
     * HTTP once per kind of MBean (the route MBeans all have the same operations): 403, nothing runs.
     */
    @Test
    void everyOperationOfEveryMBeanIsRefusedButTheRouteAndContextLifecycle() throws Exception {
        HttpResponse<String> list = jolokia("{\"type\":\"list\"}");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode domains = json(list).get("value");
        assertThat(domains.has("org.apache.camel")).isTrue();
        assertThat(domains.has("java.lang")).isTrue();
        PolicyRestrictor policy = policy();

        Set<String> dangerousSeen = new TreeSet<>();
        Set<String> permitted = new TreeSet<>();
        Set<String> triedOverHttp = new java.util.HashSet<>();
        int refused = 0;
        for (String domain : new String[] {"org.apache.camel", "java.lang", "com.sun.management",
                "jdk.management.jfr", "java.util.logging", "java.nio", "com.zaxxer.hikari", "JMImplementation"}) {
            JsonNode beans = domains.path(domain);
            for (Iterator<Map.Entry<String, JsonNode>> it = beans.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> bean = it.next();
                String mbean = domain + ":" + bean.getKey();
                ObjectName name = new ObjectName(mbean);
                for (Iterator<Map.Entry<String, JsonNode>> ops = bean.getValue().path("op").fields(); ops.hasNext();) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    for (String operation : operationNames(op.getKey(), op.getValue())) {
                        boolean allowed = allowListed(name, operation);
                        assertThat(policy.isOperationAllowed(name, operation))
                                .as("jolokia-access.xml on %s %s", mbean, operation).isEqualTo(allowed);
                        assertThat(JolokiaGuard.allows(name, operation))
                                .as("the hub's guard on %s %s", mbean, operation).isEqualTo(allowed);
                        if (allowed) {
                            permitted.add(name.getKeyProperty("type") + " " + operation);
                            continue;
                        }
                        if (op.getKey().matches("(request|send)Body.*|createEndpoint|removeEndpoints|.*Routes?From.*|"
                                + "addOrUpdateRoutesFromXml|updateRoutesFromXml|dumpHeap|.*[Tt]emplate.*|evaluate.*|"
                                + "gc|setVMOption|.*[Jj]fr.*|vmSystemProperties|setLoggerLevel")) {
                            dangerousSeen.add(op.getKey());
                        }
                        // over HTTP once per kind of MBean and operation (the guard does not look at names)
                        if (!triedOverHttp.add(domain + " " + name.getKeyProperty("type") + " " + operation)) {
                            continue;
                        }
                        ObjectNode exec = TestHub.MAPPER.createObjectNode().put("type", "exec").put("mbean", mbean)
                                .put("operation", operation);
                        ArrayNode args = exec.putArray("arguments");
                        for (int i = 0; i < argumentCount(operation); i++) {
                            args.addNull();
                        }
                        HttpResponse<String> r = jolokia(exec.toString());
                        assertThat(r.statusCode()).as("%s %s -> %s", mbean, operation, r.body()).isEqualTo(403);
                        assertThat(json(r).get("code").asText()).isEqualTo("forbidden");
                        refused++;
                    }
                }
            }
        }
        assertThat(dangerousSeen).as("the walk met the dangerous operations").contains("requestBody",
                "sendBody", "requestBodyAndHeaders", "sendBodyAndHeaders", "createEndpoint", "removeEndpoints",
                "updateRouteFromXml", "dumpHeap", "gc", "jfrStart", "setLoggerLevel", "setVMOption");
        assertThat(refused).isGreaterThan(500);
        assertThat(permitted).contains("routes stop()", "routes start()", "context suspend()", "context resume()");
        assertThat(permitted).allSatisfy(p -> assertThat(p).matches(
                "(context|routes) (start|stop|suspend|resume|dump\\w+)(\\(.*\\))?"));
    }

    @Test
    void routeLifecycleAndDumpsStayAvailableToOperators() {
        for (String op : new String[] {"stop()", "start()", "suspend()", "resume()"}) {
            HttpResponse<String> r = request("POST", "/observe/jolokia", "{\"type\":\"exec\",\"mbean\":\""
                    + THROWAWAY.replace("\"", "\\\"") + "\",\"operation\":\"" + op + "\"}",
                    basic(OPS_USER, OPS_PASSWORD));
            assertThat(r.statusCode()).as(op + " " + r.body()).isEqualTo(200);
            assertThat(json(r).get("status").asInt()).as(op + " " + r.body()).isEqualTo(200);
            ServiceStatus expected = op.startsWith("stop") ? ServiceStatus.Stopped
                    : op.startsWith("suspend") ? ServiceStatus.Suspended : ServiceStatus.Started;
            assertThat(hub.context().getRouteController().getRouteStatus("throwaway")).as(op).isEqualTo(expected);
        }
        HttpResponse<String> dump = jolokia("{\"type\":\"exec\",\"mbean\":\"" + CONTEXT.replace("\"", "\\\"")
                + "\",\"operation\":\"dumpRoutesAsXml()\"}");
        assertThat(json(dump).get("status").asInt()).as(dump.body()).isEqualTo(200);
        assertThat(json(dump).get("value").asText()).contains("git-webhook-receiver");
        assertThat(hub.context().getRouteController().getRouteStatus("git-webhook-receiver"))
                .isEqualTo(ServiceStatus.Started);
    }

    @Test
    void writesNotificationsAndReadsOfTheJvmCommandLineAreRefused() {
        assertJsonError(jolokia("{\"type\":\"write\",\"mbean\":\"" + THROWAWAY.replace("\"", "\\\"")
                + "\",\"attribute\":\"Description\",\"value\":\"x\"}"), 403, "forbidden");
        assertJsonError(jolokia("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\","
                + "\"value\":true}"), 403, "forbidden");
        assertJsonError(request("GET", "/observe/jolokia/write/java.lang:type=Memory/Verbose/true", null,
                "Bearer " + hub.token()), 403, "forbidden");
        assertJsonError(jolokia("{\"type\":\"notification\",\"command\":\"register\"}"), 403, "forbidden");
        JsonNode props = json(jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\","
                + "\"attribute\":\"SystemProperties\"}"));
        assertThat(props.get("status").asInt()).isEqualTo(403);
        JsonNode heap = json(jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\","
                + "\"attribute\":\"HeapMemoryUsage\"}"));
        assertThat(heap.get("status").asInt()).isEqualTo(200);
    }

    @Test
    void jolokiaErrorsCarryNoStackTraceEvenWhenAskedFor() {
        List<HttpResponse<String>> answers = List.of(
                jolokia("{\"type\":\"read\",\"mbean\":\"org.apache.camel:type=nothing,name=x\",\"attribute\":\"A\","
                        + "\"config\":{\"includeStackTrace\":\"true\",\"serializeException\":\"true\"}}"),
                request("POST", "/observe/jolokia?includeStackTrace=true&serializeException=true",
                        "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"NoSuchThing\"}",
                        "Bearer " + hub.token()),
                request("GET", "/observe/jolokia/read/java.lang:type=Memory/NoSuchThing?includeStackTrace=true",
                        null, "Bearer " + hub.token()),
                request("GET", "/observe/jolokia/read/not-a-name?includeStackTrace=runtime", null,
                        "Bearer " + hub.token()));
        for (HttpResponse<String> r : answers) {
            JsonNode body = json(r);
            assertThat(body.path("status").asInt()).as(r.body()).isGreaterThanOrEqualTo(400);
            assertThat(body.has("stacktrace")).as(r.body()).isFalse();
            assertThat(body.has("error_value")).as(r.body()).isFalse();
            assertThat(r.body()).doesNotContain("at java.").doesNotContain("\tat ").doesNotContain("at org.");
        }
    }
}
