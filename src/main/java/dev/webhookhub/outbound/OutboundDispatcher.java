package dev.webhookhub.outbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.security.CredentialMask;
import dev.webhookhub.security.RefusedDestinationException;
import dev.webhookhub.security.SecretCipher;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due outbox rows and sends them. {@link #claimDue} (called by the poll route) claims only as many messages
 * as there are free senders, and at most {@code perEndpoint} per endpoint, so a slow or dead endpoint holds a few
 * senders and no claims on other endpoints' messages. {@link #deliver} (one sender, on the SEDA route) makes one
 * HTTP attempt and records it with the message's next state.
 */
public final class OutboundDispatcher {

    public static final String MESSAGE_ID_HEADER = "X-Webhook-Hub-Message-Id";
    public static final String EVENT_HEADER = "X-Webhook-Hub-Event";
    static final Set<String> SYSTEM_EVENTS = Set.of("delivery.exhausted", "endpoint.disabled");
    private static final Logger LOG = LoggerFactory.getLogger(OutboundDispatcher.class);
    private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    private final OutboundStore store;
    private final SecretCipher cipher;
    private final RetrySchedule schedule;
    private final OutboundBackups backups;
    private final OutboundPublisher publisher;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final int concurrency;
    private final int perEndpoint;
    private final Duration disableAfter;
    private final OutboundHttpClient http;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightByEndpoint = new ConcurrentHashMap<>();
    private final Map<String, String> endpointOfClaim = new ConcurrentHashMap<>();
    /** Messages waiting for an in-process retry, with the time it is due. */
    private final Map<String, Instant> waitingInProcess = new ConcurrentHashMap<>();
    private final EventBus bus;
    private final int inProcessRetries;
    private final Duration inProcessMaxWait;

    public OutboundDispatcher(OutboundStore store, SecretCipher cipher, RetrySchedule schedule, OutboundBackups backups,
            OutboundPublisher publisher, ObjectMapper mapper, Clock clock, int concurrency, int perEndpoint,
            Duration disableAfter, EventBus bus, int inProcessRetries, Duration inProcessMaxWait,
            OutboundHttpClient http) {
        this.store = store;
        this.cipher = cipher;
        this.schedule = schedule;
        this.backups = backups;
        this.publisher = publisher;
        this.mapper = mapper;
        this.clock = clock;
        this.concurrency = concurrency;
        this.perEndpoint = Math.max(1, Math.min(perEndpoint, concurrency));
        this.disableAfter = disableAfter;
        this.bus = bus;
        this.inProcessRetries = inProcessRetries;
        this.inProcessMaxWait = inProcessMaxWait;
        this.http = http;
    }

    /**
     * Claims due messages up to the free sending capacity, at most {@code perEndpoint} in flight per endpoint, and
     * returns their ids for the senders. Each sender then keeps its endpoint's stream going ({@link #deliver}
     * returns the endpoint's next due message), so this poll only starts streams. An endpoint's {@code rate_limit}
     * (messages per second) is kept per hub instance.
     */
    public List<String> claimDue() {
        if (concurrency - inFlight.get() <= 0) {
            return List.of();
        }
        Instant now = clock.instant();
        List<String> claimed = new ArrayList<>();
        List<OutboundEndpoint> endpoints = store.enabledEndpoints();
        // a different endpoint goes first on each poll, so when senders are scarce none is always last
        int first = endpoints.isEmpty() ? 0 : Math.floorMod(polls.getAndIncrement(), endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            OutboundEndpoint e = endpoints.get((first + i) % endpoints.size());
            int free = concurrency - inFlight.get();
            if (free <= 0) {
                break;
            }
            int room = Math.min(free, perEndpoint - busy(e.id()).get());
            if (room > 0) {
                claimed.addAll(claim(e, now, room));
            }
        }
        return claimed;
    }

    private AtomicInteger busy(String endpointId) {
        return inFlightByEndpoint.computeIfAbsent(endpointId, k -> new AtomicInteger());
    }

    private List<String> claim(OutboundEndpoint endpoint, Instant now, int max) {
        if (!endpoint.enabled()) {
            return List.of();
        }
        List<String> claimed = new ArrayList<>();
        Instant lease = now.plus(Duration.ofSeconds(endpoint.timeoutSeconds() + 60L));
        for (String id : store.dueFor(endpoint.id(), now, max)) {
            if (!rateAllows(endpoint, now)) {
                break;
            }
            if (store.claim(id, now, lease)) {
                busy(endpoint.id()).incrementAndGet();
                inFlight.incrementAndGet();
                endpointOfClaim.put(id, endpoint.id());
                claimed.add(id);
                countForRate(endpoint, now);
            }
        }
        return claimed;
    }

    private final Map<String, long[]> rateWindows = new ConcurrentHashMap<>();

    private boolean rateAllows(OutboundEndpoint endpoint, Instant now) {
        if (endpoint.rateLimit() == null) {
            return true;
        }
        long[] w = rateWindows.get(endpoint.id());
        return w == null || w[0] != now.getEpochSecond() || w[1] < endpoint.rateLimit();
    }

    private void countForRate(OutboundEndpoint endpoint, Instant now) {
        if (endpoint.rateLimit() == null) {
            return;
        }
        long[] w = rateWindows.computeIfAbsent(endpoint.id(), k -> new long[2]);
        if (w[0] != now.getEpochSecond()) {
            w[0] = now.getEpochSecond();
            w[1] = 0;
        }
        w[1]++;
    }

    /**
     * One attempt of a claimed message (the body of routes/outbound-dispatch.yaml's sender). When it fails with a
     * retryable answer and the schedule's next wait is short, the claim is kept and {@link RetryInProcess} is thrown:
     * the route's error handler redelivers after {@code CamelRedeliveryDelay} (the schedule's wait), without a
     * thread waiting. Otherwise the next attempt is left to the outbox schedule, the sending slot is released, and
     * the endpoint's next due message is claimed and returned for the same sender (null when there is none).
     */
    public String deliver(String messageId, Exchange exchange) {
        boolean keepClaim = false;
        waitingInProcess.remove(messageId);
        String endpointId = endpointOfClaim.get(messageId);
        try {
            Optional<OutboundMessage> m = store.message(messageId);
            if (m.isEmpty() || !OutboundMessage.DELIVERING.equals(m.get().status())) {
                return null;
            }
            Optional<OutboundEndpoint> e = store.endpoint(m.get().endpointId());
            if (e.isEmpty()) {
                return null;
            }
            Integer redeliveries = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
            boolean mayRetryInProcess = (redeliveries == null ? 0 : redeliveries) < inProcessRetries;
            Duration wait = attempt(e.get(), m.get(), mayRetryInProcess);
            if (wait != null) {
                keepClaim = true;
                waitingInProcess.put(messageId, clock.instant().plus(wait));
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
                throw new RetryInProcess(messageId, wait);
            }
        } finally {
            if (!keepClaim) {
                release(messageId);
            }
        }
        // an interrupted thread (the hub is stopping) must not touch the embedded store
        return endpointId == null || Thread.currentThread().isInterrupted() ? null : next(endpointId);
    }

    /** The endpoint's next due message, claimed for the sender that just finished one; null when there is none. */
    private String next(String endpointId) {
        if (concurrency - inFlight.get() <= 0 || busy(endpointId).get() >= perEndpoint) {
            return null;
        }
        Optional<OutboundEndpoint> endpoint = store.endpoint(endpointId);
        if (endpoint.isEmpty()) {
            return null;
        }
        List<String> claimed = claim(endpoint.get(), clock.instant(), 1);
        return claimed.isEmpty() ? null : claimed.get(0);
    }

    private void release(String messageId) {
        String endpointId = endpointOfClaim.remove(messageId);
        if (endpointId != null) {
            inFlight.decrementAndGet();
            AtomicInteger busy = inFlightByEndpoint.get(endpointId);
            if (busy != null) {
                busy.decrementAndGet();
            }
        }
    }

    /**
     * At shutdown: messages waiting for an in-process retry go back to the outbox at the time that retry was due,
     * so a restart picks them up then rather than after their claim expires.
     */
    public void releaseWaiting() {
        waitingInProcess.forEach((id, at) -> {
            try {
                store.releaseClaim(id, at);
            } catch (RuntimeException ex) {
                LOG.warn("outbound message {} stays claimed until its lease ends: {}", id, ex.toString());
            }
        });
        waitingInProcess.clear();
    }

    /** Thrown to have the route's error handler make the next attempt after {@code wait}. */
    public static final class RetryInProcess extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryInProcess(String messageId, Duration wait) {
            super("outbound message " + messageId + " retried in " + wait.toMillis() + " ms", null, false, false);
        }
    }

    /** Sending slots in use (for tests and metrics). */
    public int inFlight() {
        return inFlight.get();
    }

    /** Makes and records one attempt; returns the wait before an in-process retry, or null when there is none. */
    private Duration attempt(OutboundEndpoint endpoint, OutboundMessage message, boolean mayRetryInProcess) {
        Instant started = clock.instant();
        Map<String, String> headers = headers(endpoint, message, started);
        Integer status = null;
        String snippet = null;
        String error = null;
        String retryAfter = null;
        long t0 = System.nanoTime();
        boolean refused = false;
        try {
            OutboundHttpClient.Answer a = http.post(endpoint.url(), headers, message.payload(),
                    Duration.ofSeconds(endpoint.timeoutSeconds()));
            status = a.status();
            retryAfter = a.retryAfter();
            snippet = a.snippet();
        } catch (RefusedDestinationException ex) {
            // an address the hub may not send to (hub.outbound.allowed-networks): a permanent failure
            error = "destination refused: " + ex.getMessage();
            refused = true;
        } catch (OutboundHttpClient.Stopped ex) {
            // the hub is stopping: record nothing; the message stays claimed until its lease ends, then is sent again
            LOG.info("outbound message {} to endpoint {}: attempt cut short by shutdown, retried after its lease",
                    message.id(), endpoint.id());
            return null;
        } catch (OutboundHttpClient.TimedOut ex) {
            error = ex.getMessage();
        } catch (IOException ex) {
            error = "connection error: " + describe(ex);
        } catch (IllegalArgumentException ex) {
            error = "request rejected: " + ex.getMessage();
        }
        if (Thread.currentThread().isInterrupted()) {
            // interrupted by the shutdown while the socket read went on (it does not heed interrupts): record
            // nothing, as an interrupted thread would close the embedded store's file; sent again after the lease
            LOG.info("outbound message {} to endpoint {}: attempt interrupted by shutdown, retried after its lease",
                    message.id(), endpoint.id());
            return null;
        }
        long durationMs = (System.nanoTime() - t0) / 1_000_000;
        Instant now = clock.instant();
        OutboundAttempt attempt = new OutboundAttempt(message.id(), 0, started, status, snippet,
                error != null ? error : (status != null && status / 100 != 2 ? "HTTP " + status : null), durationMs);
        int made = message.attempts() + 1;

        if (status != null && status / 100 == 2) {
            store.recordAttempt(attempt, OutboundMessage.DELIVERED, made, null, now);
            store.clearFailing(endpoint.id());
            return null;
        }
        store.markFailing(endpoint.id(), now);
        if (status != null && status == 410) {
            // the endpoint first: whoever sees the message failed sees the endpoint disabled
            disable(endpoint, message, "endpoint answered 410 Gone", now);
            finish(endpoint, message, attempt, made, headers, "endpoint answered 410 Gone");
            return null;
        }
        if (refused) {
            finish(endpoint, message, attempt, made, headers, error + " (not retried)");
            return null;
        }
        boolean retryable = status == null || status == 429 || status == 408 || status >= 500;
        if (!retryable) {
            finish(endpoint, message, attempt, made, headers, "endpoint answered " + status + " (not retried)");
            return null;
        }
        Optional<Duration> wait = schedule.after(made);
        Duration inProcess = null;
        if (wait.isEmpty()) {
            finish(endpoint, message, attempt, made, headers, "retries exhausted after " + made + " attempts");
            raise("delivery.exhausted", message, endpoint, "retries exhausted after " + made + " attempts");
        } else {
            Duration d = wait.get();
            Duration honoured = status != null && (status == 429 || status == 503) ? retryAfter(retryAfter, now) : null;
            if (honoured != null) {
                d = honoured;
            }
            if (mayRetryInProcess && d.compareTo(inProcessMaxWait) <= 0) {
                inProcess = d;
                Instant lease = now.plus(d).plusSeconds(endpoint.timeoutSeconds() + 60L);
                store.recordAttempt(attempt, OutboundMessage.DELIVERING, made, lease, null);
            } else {
                store.recordAttempt(attempt, OutboundMessage.PENDING, made, now.plus(d), null);
            }
        }
        Instant failingSince = store.endpoint(endpoint.id()).map(OutboundEndpoint::failingSince).orElse(null);
        if (failingSince != null && failingSince.plus(disableAfter).isBefore(now)) {
            disable(endpoint, message, "failing since " + failingSince, now);
            if (inProcess != null) {
                store.releaseClaim(message.id(), now.plus(inProcess));
                return null;
            }
        }
        return inProcess;
    }

    private void finish(OutboundEndpoint endpoint, OutboundMessage message, OutboundAttempt attempt, int made,
            Map<String, String> headers, String reason) {
        store.recordAttempt(attempt, OutboundMessage.FAILED, made, null, null);
        try {
            backups.write(endpoint, message, headers, store.attempts(message.id()), reason);
        } catch (RuntimeException ex) {
            LOG.error("outbound message {} failed ({}) and its backup file could not be written: {}", message.id(),
                    reason, ex.toString());
            return;
        }
        LOG.warn("outbound message {} to endpoint {} failed: {}", message.id(), endpoint.id(), reason);
    }

    private void disable(OutboundEndpoint endpoint, OutboundMessage message, String reason, Instant now) {
        store.disableEndpoint(endpoint.id(), reason, now);
        LOG.warn("outbound endpoint {} disabled: {}", endpoint.id(), reason);
        raise("endpoint.disabled", message, endpoint, reason);
    }

    private void raise(String event, OutboundMessage cause, OutboundEndpoint endpoint, String reason) {
        if (SYSTEM_EVENTS.contains(cause.eventType())) {
            return; // no events about events about failures
        }
        ObjectNode n = mapper.createObjectNode();
        n.put("event_type", event);
        n.put("endpoint_id", endpoint.id());
        n.put("url", CredentialMask.url(endpoint.url()));
        n.put("message_id", cause.id());
        n.put("message_event_type", cause.eventType());
        n.put("reason", reason);
        n.put("time", clock.instant().toString());
        try {
            publisher.publish(event, n.toString());
        } catch (RuntimeException ex) {
            LOG.error("cannot raise {} for message {}: {}", event, cause.id(), ex.toString());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        n.fields().forEachRemaining(f -> data.put(f.getKey(), f.getValue().asText()));
        bus.publish(event, "endpoint:" + endpoint.id(), CredentialMask.url(endpoint.url()), null, null, data);
    }

    Map<String, String> headers(OutboundEndpoint endpoint, OutboundMessage message, Instant now) {
        List<String> secrets = new ArrayList<>();
        secrets.add(cipher.decrypt(endpoint.secretEnc()));
        if (endpoint.previousSecretEnc() != null && endpoint.previousValidUntil() != null
                && endpoint.previousValidUntil().isAfter(now)) {
            secrets.add(cipher.decrypt(endpoint.previousSecretEnc()));
        }
        Map<String, String> headers = new LinkedHashMap<>(endpoint.headers());
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "webhook-hub");
        headers.put(MESSAGE_ID_HEADER, message.id());
        headers.put(EVENT_HEADER, message.eventType());
        headers.put("webhook-id", message.id());
        headers.putAll(OutboundSigner.forScheme(endpoint.signatureScheme())
                .sign(message.id(), now, message.payload(), secrets));
        return headers;
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. Capped at one day. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration d;
        try {
            d = Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(now, ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant());
                if (d.isNegative()) {
                    d = Duration.ZERO;
                }
            } catch (RuntimeException ex) {
                return null;
            }
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    /** What went wrong on the connection, for operators: no exception class names (they read as stack traces). */
    static String describe(IOException ex) {
        String kind = ex instanceof java.net.UnknownHostException ? "unknown host"
                : ex instanceof java.net.ConnectException ? "connection refused"
                : ex instanceof javax.net.ssl.SSLException ? "TLS failure"
                : ex instanceof java.net.http.HttpConnectTimeoutException ? "connect timeout"
                : "I/O error";
        String message = ex.getMessage();
        if (message == null || message.isBlank() || message.contains("Exception")) {
            Throwable cause = ex.getCause();
            message = cause == null || cause.getMessage() == null || cause.getMessage().contains("Exception") ? null
                    : cause.getMessage();
        }
        return message == null ? kind : kind + " (" + message + ")";
    }
}
