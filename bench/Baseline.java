import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * Ceilings for bench/run.sh: the same signed GitHub pushes answered by servers that store nothing.
 *
 *   java -cp target/webhook-hub.jar bench/Baseline.java vertx|camel <port> <secret>
 *
 * vertx: a bare Vert.x HTTP server (the "verifies HMAC and parses JSON but stores nothing").
 * camel: camel-main with one platform-http route on Vert.x doing the same work in a processor, as the
 *        hub's receiver route does before it stores anything.
 * Both answer 202 with a small JSON body, as the hub does. bench/baseline.sh drives them with wrk.
 */
public class Baseline {

    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicLong ACCEPTED = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        byte[] secret = args[2].getBytes(StandardCharsets.UTF_8);
        if (mode.equals("vertx")) {
            vertx(port, secret);
        } else if (mode.equals("camel")) {
            camel(port, secret);
        } else {
            throw new IllegalArgumentException("mode must be vertx or camel");
        }
    }

    /** The work both servers do per request: HMAC-SHA-256 of the raw body, constant-time compare, parse. */
    static String accept(byte[] body, String signature, String event, byte[] secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        byte[] expected = ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.US_ASCII);
        if (signature == null || !MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        JsonNode push = JSON.readTree(body);
        String ref = push.path("ref").asText();
        String sha = push.path("after").asText();
        return "{\"status\":\"accepted\",\"event\":\"" + event + "\",\"ref\":\"" + ref + "\",\"id\":\"" + sha
                + "-" + ACCEPTED.incrementAndGet() + "\"}";
    }

    static void vertx(int port, byte[] secret) {
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
            String answer;
            try {
                answer = accept(buf.getBytes(), req.getHeader("X-Hub-Signature-256"), req.getHeader("X-GitHub-Event"),
                        secret);
            } catch (Exception e) {
                answer = null;
            }
            if (answer == null) {
                req.response().setStatusCode(401).end("{\"error\":\"bad signature\"}");
            } else {
                req.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(answer);
            }
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        System.out.println("BASELINE vertx listening on 127.0.0.1:" + port);
    }

    static void camel(int port, byte[] secret) throws Exception {
        Main main = new Main();
        main.addInitialProperty("camel.main.name", "baseline");
        main.addInitialProperty("camel.main.jmx-enabled", "false");
        main.addInitialProperty("camel.main.stream-caching-enabled", "false");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", String.valueOf(port));
        main.addInitialProperty("camel.server.max-body-size", "26214400");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/api/containers/webhooks/{provider}/{serviceId}?httpMethodRestrict=POST")
                        .routeId("baseline-receiver")
                        .process(exchange -> {
                            byte[] body = exchange.getIn().getBody(byte[].class);
                            String answer = accept(body, exchange.getIn().getHeader("X-Hub-Signature-256", String.class),
                                    exchange.getIn().getHeader("X-GitHub-Event", String.class), secret);
                            exchange.getMessage().removeHeaders("*");
                            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, answer == null ? 401 : 202);
                            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                            exchange.getMessage().setBody(answer == null ? "{\"error\":\"bad signature\"}" : answer);
                        });
            }
        });
        System.out.println("BASELINE camel starting on 127.0.0.1:" + port);
        main.run();
    }
}
