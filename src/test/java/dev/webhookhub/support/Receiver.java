package dev.webhookhub.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/** A real local HTTP receiver for outbound webhooks: answers by request number, records what arrived. */
public final class Receiver implements AutoCloseable {

    /** {@code body} null: the receiver answers {"received": n}. */
    public record Answer(int status, Map<String, String> headers, long delayMillis, byte[] body) {
        public Answer(int status, Map<String, String> headers, long delayMillis) {
            this(status, headers, delayMillis, null);
        }

        public static Answer of(int status) {
            return new Answer(status, Map.of(), 0);
        }
    }

    /** {@code target}: the request line's path and query, as sent. */
    public record Request(Instant at, Map<String, String> headers, byte[] body, String target) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile IntFunction<Answer> answers;

    public Receiver(IntFunction<Answer> answers) {
        this(0, answers);
    }

    /** A receiver on a given port (0: any free port). */
    public Receiver(int port, IntFunction<Answer> answers) {
        this.answers = answers;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static Receiver always(int status) {
        return new Receiver(n -> Answer.of(status));
    }

    public void answers(IntFunction<Answer> answers) {
        this.answers = answers;
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        byte[] body = ex.getRequestBody().readAllBytes();
        int n = requests.size();
        requests.add(new Request(Instant.now(), headers, body, ex.getRequestURI().toString()));
        Answer a = answers.apply(n);
        if (a.delayMillis() > 0) {
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] out = a.body() != null ? a.body() : ("{\"received\":" + n + "}").getBytes();
        try {
            ex.sendResponseHeaders(a.status(), out.length);
            ex.getResponseBody().write(out);
        } catch (IOException ignored) {
            // the hub gave up (timeout)
        }
        ex.close();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public List<Request> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
