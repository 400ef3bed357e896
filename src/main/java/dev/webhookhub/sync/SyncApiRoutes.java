package dev.webhookhub.sync;

import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.api.AdminRouteBuilder;

/** Admin API for sync configs, the job queue, execution history and the scheduler. Every operation needs the token. */
final class SyncApiRoutes extends AdminRouteBuilder {

    private final SyncApi api;

    SyncApiRoutes(AdminAuth auth, SyncApi api) {
        super(auth);
        this.api = api;
    }

    @Override
    protected void configureApi() {
        rest("/api/sync-configs")
                .get().id("api-sync-configs-list").to("direct:api-sync-configs-list")
                .post().id("api-sync-configs-create").to("direct:api-sync-configs-create")
                .get("/{id}").id("api-sync-configs-get").to("direct:api-sync-configs-get")
                .put("/{id}").id("api-sync-configs-update").to("direct:api-sync-configs-update")
                .delete("/{id}").id("api-sync-configs-delete").to("direct:api-sync-configs-delete");
        rest("/api/jobs")
                .post("/queue/{configId}").id("api-jobs-enqueue").to("direct:api-jobs-enqueue")
                .get("/queue").id("api-jobs-queue").to("direct:api-jobs-queue")
                .get("/status/{jobId}").id("api-jobs-status").to("direct:api-jobs-status");
        rest("/api/execute")
                .get("/history/{configId}").id("api-execute-history").to("direct:api-execute-history");
        rest("/api/scheduler")
                .get("/status").id("api-scheduler-status").to("direct:api-scheduler-status")
                .post("/start").id("api-scheduler-start").to("direct:api-scheduler-start")
                .post("/stop").id("api-scheduler-stop").to("direct:api-scheduler-stop")
                .post("/schedule/{configId}").id("api-scheduler-schedule").to("direct:api-scheduler-schedule")
                .post("/unschedule/{configId}").id("api-scheduler-unschedule").to("direct:api-scheduler-unschedule");

        handle("api-sync-configs-list", api::list);
        handle("api-sync-configs-create", api::create);
        handle("api-sync-configs-get", api::get);
        handle("api-sync-configs-update", api::update);
        handle("api-sync-configs-delete", api::delete);
        handle("api-jobs-enqueue", api::queueJob);
        handle("api-jobs-queue", api::queueStatus);
        handle("api-jobs-status", api::jobStatus);
        handle("api-execute-history", api::history);
        handle("api-scheduler-status", api::schedulerStatus);
        handle("api-scheduler-start", api::schedulerStart);
        handle("api-scheduler-stop", api::schedulerStop);
        handle("api-scheduler-schedule", api::schedule);
        handle("api-scheduler-unschedule", api::unschedule);
    }
}
