package dev.webhookhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webhookhub.security.DestinationPolicy;
import dev.webhookhub.security.NetworkRange;
import dev.webhookhub.security.RefusedDestinationException;
import dev.webhookhub.support.Receiver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The outbound HTTP client against a real local receiver, with an injected resolver standing in for DNS: the
 * destination check is made on the address the client actually connects to.
 */
class OutboundHttpClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static DestinationPolicy policy(String allowed, DestinationPolicy.Lookup lookup) {
        return new DestinationPolicy(NetworkRange.parseList(allowed), lookup);
    }

    private static DestinationPolicy.Lookup always(String address) {
        return host -> new InetAddress[] { InetAddress.getByName(address) };
    }

    private static String portOf(Receiver rx) {
        return rx.url().replaceAll("^http://127\\.0\\.0\\.1:(\\d+)/.*$", "$1");
    }

    @Test
    void refusesANameResolvingToLoopbackAndConnectsWhenItsNetworkIsAllowed() throws Exception {
        try (Receiver rx = Receiver.always(204)) {
            String url = "http://receiver.example.com:" + portOf(rx) + "/hook";
            try (OutboundHttpClient refusing = new OutboundHttpClient(policy("", always("127.0.0.1")), 4, 2,
                    TIMEOUT)) {
                assertThatThrownBy(() -> refusing.post(url, Map.of(), new byte[0], TIMEOUT))
                        .isInstanceOf(RefusedDestinationException.class)
                        .hasMessageContaining("127.0.0.1 is a loopback address");
                assertThatThrownBy(() -> refusing.post(rx.url(), Map.of(), new byte[0], TIMEOUT))
                        .as("an address literal goes through the same check")
                        .isInstanceOf(RefusedDestinationException.class);
                assertThatThrownBy(() -> refusing.post("http://2130706433:" + portOf(rx) + "/hook", Map.of(),
                        new byte[0], TIMEOUT)).isInstanceOf(RefusedDestinationException.class);
            }
            assertThat(rx.requests()).isEmpty();
            try (OutboundHttpClient allowing = new OutboundHttpClient(policy("127.0.0.0/8", always("127.0.0.1")), 4,
                    2, TIMEOUT)) {
                OutboundHttpClient.Answer a = allowing.post(url, Map.of("X-Team", "ops"),
                        "{}".getBytes(StandardCharsets.UTF_8), TIMEOUT);
                assertThat(a.status()).isEqualTo(204);
            }
            assertThat(rx.requests()).hasSize(1);
            assertThat(rx.requests().get(0).header("host")).as("the name is kept for the Host header")
                    .isEqualTo("receiver.example.com:" + portOf(rx));
            assertThat(rx.requests().get(0).header("x-team")).isEqualTo("ops");
        }
    }

    @Test
    void aDnsAnswerThatChangesAfterTheCheckDoesNotGetThrough() throws Exception {
        try (Receiver rx = Receiver.always(200)) {
            // public when the API checks the URL, loopback when the client connects
            AtomicInteger lookups = new AtomicInteger();
            DestinationPolicy p = policy("", host -> new InetAddress[] {
                    InetAddress.getByName(lookups.getAndIncrement() == 0 ? "8.8.8.8" : "127.0.0.1") });
            String url = "http://rebind.example.com:" + portOf(rx) + "/hook";
            assertThat(p.check(url)).isNull();
            try (OutboundHttpClient client = new OutboundHttpClient(p, 4, 2, TIMEOUT)) {
                assertThatThrownBy(() -> client.post(url, Map.of(), new byte[0], TIMEOUT))
                        .isInstanceOf(RefusedDestinationException.class);
            }
            assertThat(lookups.get()).as("resolved again at connect time").isEqualTo(2);
            assertThat(rx.requests()).isEmpty();
        }
    }

    @Test
    void sendsUserInfoAsBasicAuthenticationNotInTheRequestLine() throws Exception {
        try (Receiver rx = Receiver.always(200);
                OutboundHttpClient client = new OutboundHttpClient(policy("127.0.0.0/8", host -> {
                    throw new UnknownHostException(host);
                }), 4, 2, TIMEOUT)) {
            String url = "http://hub-user:p%40ss:w0rd@127.0.0.1:" + portOf(rx) + "/hook?x=1";
            assertThat(client.post(url, Map.of(), new byte[0], TIMEOUT).status()).isEqualTo(200);
            assertThat(rx.requests().get(0).header("authorization")).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("hub-user:p@ss:w0rd".getBytes(StandardCharsets.UTF_8)));
            // a custom Authorization header wins
            client.post(url, Map.of("Authorization", "Bearer xyz"), new byte[0], TIMEOUT);
            assertThat(rx.requests().get(1).header("authorization")).isEqualTo("Bearer xyz");
        }
    }

    @Test
    void aTricklingAnswerIsCutOffAtTheTimeLimit() throws Exception {
        try (Receiver rx = new Receiver(n -> new Receiver.Answer(200, Map.of(), 3_000));
                OutboundHttpClient client = new OutboundHttpClient(policy("127.0.0.0/8", always("127.0.0.1")), 4, 2,
                        TIMEOUT)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> client.post(rx.url(), Map.of(), new byte[0], Duration.ofSeconds(1)))
                    .isInstanceOf(OutboundHttpClient.TimedOut.class).hasMessage("timeout after 1s");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2_800));
        }
    }

    @Test
    void anAnswerBodyIsReadOnlyUpToTheSnippet() throws Exception {
        byte[] big = new byte[2_000_000];
        java.util.Arrays.fill(big, (byte) 'a');
        try (Receiver rx = new Receiver(n -> new Receiver.Answer(500, Map.of("Retry-After", "7"), 0, big));
                OutboundHttpClient client = new OutboundHttpClient(policy("127.0.0.0/8", always("127.0.0.1")), 4, 2,
                        TIMEOUT)) {
            OutboundHttpClient.Answer a = client.post(rx.url(), Map.of(), new byte[0], TIMEOUT);
            assertThat(a.status()).isEqualTo(500);
            assertThat(a.retryAfter()).isEqualTo("7");
            assertThat(a.snippet()).hasSize(1000);
            assertThat(List.of(client.post(rx.url(), Map.of(), new byte[0], TIMEOUT).status())).containsExactly(500);
        }
    }

    @Test
    void closingCutsShortARequestWaitingForItsAnswer() throws Exception {
        try (Receiver rx = new Receiver(n -> new Receiver.Answer(200, Map.of(), 5_000))) {
            OutboundHttpClient client = new OutboundHttpClient(policy("127.0.0.0/8", always("127.0.0.1")), 4, 2,
                    TIMEOUT);
            java.util.concurrent.CompletableFuture<Throwable> failure = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            client.post(rx.url(), Map.of(), new byte[0], Duration.ofSeconds(30));
                            return null;
                        } catch (Exception e) {
                            return e;
                        }
                    });
            dev.webhookhub.support.Await.until(() -> rx.requests().size() == 1, Duration.ofSeconds(5),
                    "request sent");
            long t0 = System.nanoTime();
            client.close();
            assertThat(failure.get(3, java.util.concurrent.TimeUnit.SECONDS))
                    .isInstanceOf(OutboundHttpClient.Stopped.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            assertThatThrownBy(() -> client.post(rx.url(), Map.of(), new byte[0], TIMEOUT))
                    .isInstanceOf(OutboundHttpClient.Stopped.class);
        }
    }
}
