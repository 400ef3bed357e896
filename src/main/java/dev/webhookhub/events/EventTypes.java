package dev.webhookhub.events;

import java.util.List;

/** The names of the events the hub raises on its bus (and that notification settings may subscribe to). */
public final class EventTypes {

    public static final String WEBHOOK_RECEIVED = "webhook_received";
    public static final String BUILD_STARTED = "build_started";
    public static final String BUILD_COMPLETED = "build_completed";
    public static final String BUILD_FAILED = "build_failed";
    public static final String DEPLOYMENT_STARTED = "deployment_started";
    public static final String DEPLOYMENT_COMPLETED = "deployment_completed";
    public static final String DEPLOYMENT_FAILED = "deployment_failed";
    public static final String DEPLOYMENT_ROLLBACK = "deployment_rollback";
    public static final String DEPLOYMENT_ROLLBACK_FAILED = "deployment_rollback_failed";
    public static final String SYNC_COMPLETED = "sync_completed";
    public static final String SYNC_FAILED = "sync_failed";
    public static final String CONFLICT_DETECTED = "conflict_detected";
    public static final String PIPELINE_COMPLETED = "pipeline_completed";
    /** Raised by the outbound engine. */
    public static final String DELIVERY_EXHAUSTED = "delivery.exhausted";
    public static final String ENDPOINT_DISABLED = "endpoint.disabled";

    public static final List<String> ALL = List.of(WEBHOOK_RECEIVED, BUILD_STARTED, BUILD_COMPLETED, BUILD_FAILED,
            DEPLOYMENT_STARTED, DEPLOYMENT_COMPLETED, DEPLOYMENT_FAILED, DEPLOYMENT_ROLLBACK,
            DEPLOYMENT_ROLLBACK_FAILED, SYNC_COMPLETED, SYNC_FAILED, CONFLICT_DETECTED, PIPELINE_COMPLETED,
            DELIVERY_EXHAUSTED, ENDPOINT_DISABLED);

    private EventTypes() {
    }

    public static boolean isKnown(String type) {
        return ALL.contains(type);
    }
}
