package dev.webhookhub.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.events.HubEvent;
import dev.webhookhub.outbound.OutboundApi;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.outbound.OutboundStore;
import dev.webhookhub.outbound.RetrySchedule;
import dev.webhookhub.security.DestinationPolicy;
import dev.webhookhub.security.SecretCipher;
import dev.webhookhub.store.StoreFlush;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds notifications from the {@code hub.notify.*} settings: the store and settings cache, templates, the
 * e-mail outbox and camel-mail component (SMTP_*), the URL channels on the outbound engine, the admin API, and the
 * beans routes/notifications.yaml uses ({@code notificationRouter}, {@code notificationDedupe},
 * {@code notificationMailOutbox}, {@code notificationChannels}). Call after the outbound engine is installed.
 */
public final class NotificationWiring {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationWiring.class);

    private NotificationWiring() {
    }

    public static void install(CamelContext context, DataSource ds, ObjectMapper mapper, SecretCipher cipher,
            StoreFlush flush, AdminAuth auth, Duration rotationGrace) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();

        SmtpSettings smtp = new SmtpSettings(get(pc, "hub.notify.smtp.host", ""),
                Integer.parseInt(get(pc, "hub.notify.smtp.port", "587")),
                Boolean.parseBoolean(get(pc, "hub.notify.smtp.secure", "false")), get(pc, "hub.notify.smtp.user", ""),
                get(pc, "hub.notify.smtp.password", ""),
                get(pc, "hub.notify.smtp.from", "Webhook Hub <noreply@webhook-hub.local>"),
                Integer.parseInt(get(pc, "hub.notify.smtp.timeout-ms", "10000")));
        configureMail(context, smtp);
        pc.addOverrideProperty("hub.notify.smtp.uri", smtp.uri());

        Path templatesDir = Path.of(get(pc, "hub.notify.templates-dir",
                Path.of(get(pc, "hub.config-dir", "config")).resolve("templates").resolve("notifications").toString()));
        RetrySchedule schedule = RetrySchedule.parse(get(pc, "hub.notify.retry-schedule",
                "0s,1m,5m,15m,1h,3h,6h,12h"), Double.parseDouble(get(pc, "hub.notify.retry-jitter", "0.1")));
        Duration window = RetrySchedule.duration(get(pc, "hub.notify.dedupe-window", "5m"));
        Duration cacheTtl = Duration.ofMillis(Long.parseLong(get(pc, "hub.notify.settings-cache-ttl-ms", "5000")));
        int senders = Integer.parseInt(get(pc, "hub.notify.mail-senders", "2"));
        int redeliveries = Integer.parseInt(get(pc, "hub.notify.smtp.redeliveries", "2"));
        long redeliveryDelay = Long.parseLong(get(pc, "hub.notify.smtp.redelivery-delay-ms", "2000"));
        Duration lease = Duration.ofMillis((3L * smtp.timeoutMillis() + redeliveryDelay) * (redeliveries + 1))
                .plusMinutes(1);

        OutboundStore outboundStore = registry.lookupByNameAndType("outboundStore", OutboundStore.class);
        OutboundPublisher publisher = registry.lookupByNameAndType("outboundPublisher", OutboundPublisher.class);
        DestinationPolicy destinations = registry.lookupByNameAndType("outboundDestinationPolicy",
                DestinationPolicy.class);
        if (outboundStore == null || publisher == null || destinations == null) {
            throw new IllegalStateException("install the outbound engine before notifications");
        }

        NotificationStore store = new NotificationStore(ds, flush, mapper, cipher);
        int encrypted = store.encryptPlaintextRecipients();
        if (encrypted > 0) {
            LOG.info("notifications: encrypted the recipient URLs of {} settings stored before encryption", encrypted);
        }
        NotificationSettingsCache cache = new NotificationSettingsCache(store, cacheTtl, clock);
        NotificationTemplates templates = new NotificationTemplates(templatesDir);
        NotificationContent content = new NotificationContent(mapper);
        MailOutbox mail = new MailOutbox(store, templates, content, schedule, smtp, clock, Math.max(1, senders * 4),
                lease);
        UrlChannels channels = new UrlChannels(new OutboundApi(mapper, outboundStore, cipher, rotationGrace, clock,
                destinations),
                outboundStore, publisher, templates, content, mapper);
        NotificationDedupe dedupe = new NotificationDedupe(ds, window, clock);

        registry.bind("notificationStore", store);
        NotificationRouter router = new NotificationRouter(cache);
        registry.bind("notificationRouter", router);
        // the bus consumer's filter, once per bus event: a ref-language predicate, since the method language
        // copies the exchange and binds parameters on every call
        registry.bind("subscribedEvent",
                (Predicate) e -> e.getIn().getBody() instanceof HubEvent event && router.subscribed(event));
        registry.bind("notificationDedupe", dedupe);
        registry.bind("notificationMailOutbox", mail);
        registry.bind("notificationChannels", channels);
        context.addRoutes(new NotificationApiRoutes(auth, new NotificationApi(mapper, store, cache, channels,
                outboundStore, mail, smtp, context.createProducerTemplate(), clock, destinations)));

        if (smtp.configured()) {
            LOG.info("notifications: e-mail through {}; templates in {}; repeats folded within {}", smtp.describe(),
                    templatesDir.toAbsolutePath(), window);
        } else {
            LOG.warn("SMTP is not configured (SMTP_HOST is empty): e-mail notifications are stored and wait until "
                    + "SMTP is configured; Slack, Teams and webhook notifications are sent as usual");
        }
    }

    /** Credentials go on the component, so they are never part of an endpoint URI (and never logged). */
    private static void configureMail(CamelContext context, SmtpSettings smtp) {
        MailConfiguration cfg = context.getComponent(smtp.protocol(), MailComponent.class).getConfiguration();
        if (!smtp.user().isBlank()) {
            cfg.setUsername(smtp.user());
            cfg.setPassword(smtp.password());
        }
        cfg.setFrom(smtp.from());
        cfg.setConnectionTimeout(smtp.timeoutMillis());
        cfg.setContentType("text/html; charset=UTF-8");
        Properties p = new Properties();
        String prefix = "mail." + smtp.protocol() + ".";
        p.setProperty(prefix + "timeout", String.valueOf(smtp.timeoutMillis()));
        p.setProperty(prefix + "writetimeout", String.valueOf(smtp.timeoutMillis()));
        if (!smtp.secure()) {
            p.setProperty(prefix + "starttls.enable", "true");
        }
        cfg.setAdditionalJavaMailProperties(p);
    }

    private static String get(PropertiesComponent pc, String key, String defaultValue) {
        return pc.resolveProperty(key).filter(v -> !v.isBlank()).orElse(defaultValue);
    }
}
