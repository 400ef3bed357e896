package dev.webhookhub.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.HubSettings;
import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.deliveries.DeliveryLog;
import dev.webhookhub.deliveries.DeliveryPayloads;
import dev.webhookhub.deliveries.DeliveryReplay;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.inbound.RegisteredWebhookVerifier;
import dev.webhookhub.inbound.UnknownWebhooks;
import dev.webhookhub.security.SecretCipher;
import dev.webhookhub.security.SignatureSchemes;
import dev.webhookhub.store.ServiceStore;
import dev.webhookhub.store.StoreFlush;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;

/** Binds the registered-webhook receiver's steps for routes/registered-webhooks.yaml and adds its admin API. */
public final class RegisteredWebhookWiring {

    private RegisteredWebhookWiring() {
    }

    public static void install(CamelContext context, DataSource ds, ObjectMapper mapper, SecretCipher cipher,
            StoreFlush flush, AdminAuth auth, HubSettings settings, ServiceStore services, EventBus events,
            UnknownWebhooks unknown, SyncTrigger syncTrigger) throws Exception {
        RegisteredWebhookStore store = new RegisteredWebhookStore(ds, cipher, flush, mapper);
        RegisteredWebhookDirectory directory = new RegisteredWebhookDirectory(store, settings.serviceCacheTtl());
        context.getRegistry().bind("registeredWebhookVerifier", new RegisteredWebhookVerifier(directory,
                context.getRegistry().lookupByNameAndType("signatureSchemes", SignatureSchemes.class), mapper,
                settings.maxBodyBytes(), unknown));
        context.getRegistry().bind("registeredWebhookWorker",
                new RegisteredWebhookWorker(store, syncTrigger, ds, events));
        DeliveryReplay replay = new DeliveryReplay(ds, flush, context.createProducerTemplate());
        DeliveryPayloads payloads = context.getRegistry().lookupByNameAndType("deliveryPayloads",
                DeliveryPayloads.class);
        context.addRoutes(new RegisteredWebhookApiRoutes(auth, new RegisteredWebhooksApi(mapper, store, directory,
                new DeliveryLog(ds, payloads), payloads, replay, services, syncTrigger, settings.publicUrl(),
                settings.secretRotationGrace())));
    }
}
