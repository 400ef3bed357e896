package dev.webhookhub.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.support.Await;
import dev.webhookhub.support.LogCapture;
import dev.webhookhub.support.TestHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

class EventBusTest {

    @Test
    void everyConsumerOfTheTopicSeesEachEvent() throws Exception {
        try (DefaultCamelContext context = context(100)) {
            List<HubEvent> first = new CopyOnWriteArrayList<>();
            List<HubEvent> second = new CopyOnWriteArrayList<>();
            CountDownLatch both = new CountDownLatch(2);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("{{hub.events.endpoint}}").process(e -> {
                        first.add(e.getIn().getBody(HubEvent.class));
                        both.countDown();
                    });
                    from("{{hub.events.endpoint}}").process(e -> {
                        second.add(e.getIn().getBody(HubEvent.class));
                        both.countDown();
                    });
                }
            });
            context.start();
            EventBus bus = new EventBus(context);

            HubEvent sent = bus.publish(EventTypes.BUILD_FAILED, "service:s1", "shop", "s1", null,
                    Map.of("status", "failure"));

            assertThat(both.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(first).containsExactly(sent);
            assertThat(second).containsExactly(sent);
            assertThat(sent.text("status")).isEqualTo("failure");
        }
    }

    @Test
    void aFullBusDropsNewEventsWithoutFailingThePublisher() throws Exception {
        try (DefaultCamelContext context = context(2)) {
            CountDownLatch release = new CountDownLatch(1);
            List<HubEvent> delivered = new CopyOnWriteArrayList<>();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("{{hub.events.endpoint}}").process(e -> {
                        release.await(10, TimeUnit.SECONDS);
                        delivered.add(e.getIn().getBody(HubEvent.class));
                    });
                }
            });
            context.start();
            EventBus bus = new EventBus(context);

            for (int i = 0; i < 10; i++) {
                bus.publish(EventTypes.WEBHOOK_RECEIVED, "service:s1", "shop", "s1", null, Map.of());
            }
            long dropped = bus.dropped();
            release.countDown();

            // the consumer is blocked, so only a few fit (in the queue of 2 and in the hands of the consumer's
            // multicast, which may take more than one); the rest are dropped and counted, and every event not
            // counted as dropped still reaches the consumer
            assertThat(dropped).isPositive();
            Await.until(() -> delivered.size() + dropped == 10, Duration.ofSeconds(10),
                    "the events that were not dropped to be delivered");
            assertThat(bus.dropped()).isEqualTo(dropped);
        }
    }

    private static DefaultCamelContext context(int size) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty(EventBus.ENDPOINT_PROPERTY,
                "seda:hub-events?multipleConsumers=true&size=" + size + "&blockWhenFull=false");
        context.getPropertiesComponent().setInitialProperties(p);
        return context;
    }

    @Test
    void theShippedTopicQueuesNothingWhileNoRouteListensAndLogsEachEventAtDebug() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext(); LogCapture log = LogCapture.start(Level.DEBUG)) {
            context.getPropertiesComponent().setLocation("file:" + TestHub.projectDir().resolve(
                    "config/application.properties"));
            context.start();
            EventBus bus = new EventBus(context);

            HubEvent first = bus.publish(EventTypes.WEBHOOK_RECEIVED, "service:s1", "shop", "s1", null, Map.of());
            bus.publish(EventTypes.BUILD_FAILED, "service:s1", "shop", "s1", null, Map.of());

            SedaEndpoint topic = context.getEndpoint(
                    context.resolvePropertyPlaceholders("{{" + EventBus.ENDPOINT_PROPERTY + "}}"), SedaEndpoint.class);
            assertThat(topic.getCurrentQueueSize()).isZero();
            assertThat(bus.dropped()).isZero();
            String id = first.id();
            assertThat(log.lines()).anySatisfy(l -> {
                assertThat(l.logger()).isEqualTo(EventBus.class.getName());
                assertThat(l.level()).isEqualTo(Level.DEBUG);
                assertThat(l.message()).isEqualTo("event webhook_received " + id + " about service:s1 (shop)");
            });
            assertThat(log.lines()).noneMatch(l -> l.logger().equals(EventBus.class.getName())
                    && l.level().isMoreSpecificThan(Level.WARN));
        }
    }
}
