package dev.webhookhub.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the Jenkins remote access API ({@code .../api/json}) with user + API token (basic auth). Every call has a
 * connect timeout and a limit on the whole exchange (headers and body), and never outlives the caller's deadline.
 */
public final class JenkinsClient {

    private final ObjectMapper mapper;
    private final HttpClient http;
    private final String authorization;
    private final Duration requestTimeout;

    public JenkinsClient(ObjectMapper mapper, String user, String apiToken, Duration connectTimeout,
            Duration requestTimeout) {
        this.mapper = mapper;
        // HTTP/1.1: no h2c upgrade dance with old Jenkins or proxies; no redirects: credentials stay on JENKINS_URL
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.authorization = user == null || user.isBlank() ? null : "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + (apiToken == null ? "" : apiToken)).getBytes(StandardCharsets.UTF_8));
        this.requestTimeout = requestTimeout;
    }

    /** GETs {@code url} and parses the JSON object it answers, giving up at {@code deadline} at the latest. */
    public JsonNode getJson(String url, Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        Duration timeout = left.compareTo(requestTimeout) < 0 ? left : requestTimeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new JenkinsUnavailableException("the sync ran out of time before " + url, null);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json").GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(b.build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new JenkinsUnavailableException("Jenkins did not answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException
                    && !(cause instanceof java.net.http.HttpConnectTimeoutException)) {
                // the client's own request timeout can fire just before ours: the same condition
                throw new JenkinsUnavailableException("Jenkins did not answer within " + timeout.toMillis() + " ms",
                        cause);
            }
            throw new JenkinsUnavailableException("Jenkins cannot be reached: " + describe(cause), cause);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new JenkinsUnavailableException("interrupted while reading Jenkins", e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new JenkinsUnavailableException("Jenkins refused the credentials (HTTP " + status
                    + "); check JENKINS_USER and JENKINS_API_TOKEN", null);
        }
        if (status >= 300 && status < 400) {
            throw new JenkinsUnavailableException("Jenkins redirected to " + response.headers().firstValue("Location")
                    .orElse("?") + "; set JENKINS_URL to the Jenkins root URL itself", null);
        }
        if (status != 200) {
            throw new JenkinsUnavailableException("Jenkins answered HTTP " + status + " for " + url, null);
        }
        try {
            JsonNode node = mapper.readTree(response.body());
            if (node == null || !node.isObject()) {
                throw new JenkinsUnavailableException("Jenkins answered something that is not a JSON object", null);
            }
            return node;
        } catch (IOException e) {
            throw new JenkinsUnavailableException("Jenkins answered malformed JSON", e);
        }
    }

    private static String describe(Throwable t) {
        if (t instanceof java.net.ConnectException) {
            return "connection refused or host unreachable";
        }
        if (t instanceof java.net.http.HttpConnectTimeoutException) {
            return "connecting timed out";
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? "network error" : message;
    }
}
