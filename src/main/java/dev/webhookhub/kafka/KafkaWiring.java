package dev.webhookhub.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.store.Database;
import dev.webhookhub.deliveries.DeliveryInbox;
import dev.webhookhub.deliveries.DeliveryOutbox;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka in the hub. With {@code hub.kafka.bootstrap-servers} (HUB_KAFKA_BOOTSTRAP_SERVERS) set and PostgreSQL as
 * the store, the hub runs in scaled mode: accepted deliveries are written to the Kafka outbox in their recording
 * transaction and published by {@link DeliveryOutboxRelay}; the receivers' hand-off and the recovery sweep switch from
 * the SEDA queues to the outbox (property overrides {@code hub.deliveries.*}), and the Kafka workers
 * (routes/kafka-delivery-workers.yaml) take the place of the SEDA ones. Without it nothing changes. The events output
 * (HUB_EVENTS_KAFKA_TOPIC) and the {@code kafka} sync target work with either store. Adds the readiness check.
 */
public final class KafkaWiring {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaWiring.class);

    private KafkaWiring() {
    }

    /** Whether scaled mode (Kafka queues) is on. */
    public static boolean install(CamelContext context, DataSource ds, Database.Dialect dialect, DeliveryInbox inbox,
            ObjectMapper mapper) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        String bootstrap = get(pc, "hub.kafka.bootstrap-servers", "").trim();
        boolean postgres = dialect == Database.Dialect.POSTGRESQL;
        boolean scaled = !bootstrap.isEmpty() && postgres;
        String gitTopic = get(pc, "hub.kafka.topics.git-events", "hub.git-events");
        String webhookTopic = get(pc, "hub.kafka.topics.webhook-events", "hub.webhook-events");
        String busTopic = get(pc, "hub.kafka.topics.bus-events", "hub.bus-events");
        String eventsTopic = get(pc, "hub.kafka.events-topic", "").trim();
        Set<String> eventTypes = new LinkedHashSet<>();
        Arrays.stream(get(pc, "hub.kafka.events-types", "").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).forEach(eventTypes::add);

        Properties clientConfig = clientConfig(get(pc, "hub.kafka.client-config", "").trim());
        if (!clientConfig.isEmpty()) {
            // every Kafka client of the hub: camel-kafka's endpoints (applied last, over their own settings) and the
            // relay's producer and the health check's admin client
            KafkaComponent component = context.getComponent("kafka", KafkaComponent.class);
            clientConfig.forEach((k, v) -> component.getConfiguration().getAdditionalProperties().put(k.toString(), v));
        }
        DeliveryOutbox outbox = new DeliveryOutbox(ds, mapper, gitTopic, webhookTopic);
        DeliveryOutboxRelay relay = new DeliveryOutboxRelay(ds, postgres, outbox,
                () -> new KafkaProducer<>(with(producerConfig(bootstrap, pc), clientConfig)), mapper,
                Integer.parseInt(get(pc, "hub.kafka.outbox-batch-size", "500")),
                Long.parseLong(get(pc, "hub.kafka.outbox-poll-ms", "1000")),
                Long.parseLong(get(pc, "hub.kafka.send-timeout-ms", "10000")));
        context.getRegistry().bind("deliveryOutbox", outbox);
        context.getRegistry().bind("kafkaOutboxRelay", relay);
        context.getRegistry().bind("cloudEventsEnvelope", new CloudEventsEnvelope(mapper));
        context.getRegistry().bind("kafkaOffsetCommit", new KafkaOffsetCommit());
        context.getRegistry().bind("kafkaEventsOutput", new KafkaEventsOutput(mapper, eventTypes));
        context.getRegistry().bind("kafkaBusEvents", new KafkaEventsOutput(mapper, Set.of()));
        context.getRegistry().bind("busEventRecords", new BusEventRecords(mapper));
        context.getRegistry().bind("syncKafkaTarget", new KafkaTargetConnector(mapper));

        if (!bootstrap.isEmpty() && !postgres) {
            LOG.warn("HUB_KAFKA_BOOTSTRAP_SERVERS is set but the store is not PostgreSQL: the queues stay in process"
                    + " (SEDA); Kafka is used for the events output and the kafka sync target only");
        }
        boolean eventsOutput = !bootstrap.isEmpty() && !eventsTopic.isEmpty();
        if (!eventsTopic.isEmpty() && bootstrap.isEmpty()) {
            LOG.warn("HUB_EVENTS_KAFKA_TOPIC is set without HUB_KAFKA_BOOTSTRAP_SERVERS: events are not published");
        }
        if (eventsOutput) {
            pc.addOverrideProperty("hub.kafka.events-output-enabled", "true");
            pc.addOverrideProperty("hub.kafka.events-output-topic", eventsTopic);
        }
        if (scaled) {
            inbox.publishThrough(outbox);
            pc.addOverrideProperty("hub.kafka.queues-enabled", "true");
            pc.addOverrideProperty("hub.deliveries.git-handoff", "direct:kafka-outbox-wake");
            pc.addOverrideProperty("hub.deliveries.webhook-handoff", "direct:kafka-outbox-wake");
            pc.addOverrideProperty("hub.deliveries.git-requeue", "direct:kafka-outbox-requeue");
            pc.addOverrideProperty("hub.deliveries.webhook-requeue", "direct:kafka-outbox-requeue");
            // the outbox covers a crash before publishing, uncommitted offsets one before processing: at start
            // there is nothing to re-queue that another instance is not already working
            pc.addOverrideProperty("hub.recovery.at-start-enabled", "false");
            // each instance reads every record of the bus-events topic (its own group, newest first, no offsets kept)
            pc.addOverrideProperty("hub.ui.events-from", "kafka:" + busTopic + "?groupId=webhook-hub-ui-"
                    + java.util.UUID.randomUUID() + "&autoOffsetReset=latest&autoCommitEnable=false");
        }
        KafkaHealthCheck health = bootstrap.isEmpty() ? null
                : new KafkaHealthCheck(with(adminConfig(bootstrap, pc), clientConfig), scaled ? relay::failing : java.util.Optional::empty,
                        scaled);
        int partitions = Integer.parseInt(get(pc, "hub.kafka.partitions", "6"));
        short replication = Short.parseShort(get(pc, "hub.kafka.replication-factor", "-1"));
        context.addStartupListener((ctx, alreadyStarted) -> {
            if (alreadyStarted) {
                return;
            }
            if (health != null) {
                HealthCheckRegistry registry = HealthCheckRegistry.get(ctx);
                if (registry != null) {
                    registry.register(health);
                }
            }
            if (scaled) {
                // off the start: a broker that is slow or away must not hold up the receivers (the outbox keeps
                // what they accept meanwhile)
                Thread t = new Thread(() -> {
                    createTopics(with(adminConfig(bootstrap, pc), clientConfig),
                            List.of(gitTopic, webhookTopic, busTopic), partitions, replication);
                    relay.start();
                    relay.wake();
                }, "hub-kafka-start");
                t.setDaemon(true);
                t.start();
            }
            // added now, so it stops before the store closes (services stop in the reverse order of adding)
            ctx.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    relay.close();
                    if (health != null) {
                        health.close();
                    }
                }
            });
        });
        if (scaled) {
            LOG.info("scaled mode: deliveries through Kafka ({}; topics {} and {}), published from the outbox",
                    bootstrap, gitTopic, webhookTopic);
        }
        return scaled;
    }

    /** Creates the delivery topics with the configured partitions when they do not exist (best effort). */
    static void createTopics(Properties adminConfig, List<String> topics, int partitions, short replication) {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> replication > 0 ? new NewTopic(t, partitions, replication)
                            : new NewTopic(t, java.util.Optional.of(partitions), java.util.Optional.empty()))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
                LOG.info("created Kafka topics {} ({} partitions)", missing.stream().map(NewTopic::name).toList(),
                        partitions);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("cannot create the Kafka topics {} ({}); the broker's defaults apply when they are created"
                        + " on first use", topics, DeliveryOutboxRelay.rootMessage(e));
            }
        }
    }

    /**
     * The Kafka client settings file (HUB_KAFKA_CLIENT_CONFIG: the Kafka clients' properties format, e.g.
     * security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location), empty without one. Its values
     * are never logged.
     */
    static Properties clientConfig(String file) {
        Properties p = new Properties();
        if (file.isEmpty()) {
            return p;
        }
        try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(file))) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the Kafka client settings " + file, e);
        }
        LOG.info("Kafka client settings from {}: {}", file, new java.util.TreeSet<>(p.stringPropertyNames()));
        return p;
    }

    private static Properties with(Properties base, Properties extra) {
        base.putAll(extra);
        return base;
    }

    static Properties producerConfig(String bootstrap, PropertiesComponent pc) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long timeout = Long.parseLong(get(pc, "hub.kafka.send-timeout-ms", "10000"));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1000, timeout / 2)));
        // never expire a record: an expired one could be overtaken by later ones (the relay waits out an outage)
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Integer.MAX_VALUE));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "webhook-hub-outbox");
        return p;
    }

    static Properties adminConfig(String bootstrap, PropertiesComponent pc) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("request.timeout.ms", "2000");
        p.put("default.api.timeout.ms", "4000");
        p.put("client.id", "webhook-hub-admin");
        return p;
    }

    private static String get(PropertiesComponent pc, String key, String defaultValue) {
        return pc.resolveProperty(key).orElse(defaultValue);
    }
}
