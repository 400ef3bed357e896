package dev.webhookhub.deploy;

import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.store.DeploymentRun;
import dev.webhookhub.store.DeploymentRuns;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET .../deployments/{deploymentId}/logs?follow=true}: the log so far, then each new part as the build
 * writes it (chunked), until the deployment has finished. A Vert.x handler in front of the REST route (which sends
 * an InputStream body only in 8 KB pieces); without {@code follow=true} the REST route answers as usual. After 20 s
 * without new lines a blank line is sent, so the connection stays under the server's idle timeout.
 */
final class LogFollower {

    private static final long KEEP_ALIVE_NANOS = 20_000_000_000L;

    static final String PATH = "/api/containers/services/:serviceId/deployments/:deploymentId/logs";

    private final DeploymentRuns runs;
    private final AdminAuth auth;
    private final long pollMillis;

    LogFollower(DeploymentRuns runs, AdminAuth auth, long pollMillis) {
        this.runs = runs;
        this.auth = auth;
        this.pollMillis = pollMillis;
    }

    void install(Router router) {
        router.get(PATH).order(-50).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (!"true".equalsIgnoreCase(ctx.request().getParam("follow"))) {
            ctx.next();
            return;
        }
        if (!auth.accepts(ctx.request().getHeader("Authorization"))) {
            error(ctx, 401, "unauthorized", "Authorization: Bearer <admin token> is required");
            return;
        }
        String serviceId = ctx.pathParam("serviceId");
        String deploymentId = ctx.pathParam("deploymentId");
        Vertx vertx = ctx.vertx();
        vertx.<Optional<DeploymentRun>>executeBlocking(() -> runs.find(deploymentId)
                .filter(d -> d.serviceId().equals(serviceId)), false).onComplete(found -> {
                    if (found.failed()) {
                        error(ctx, 503, "store_unavailable", "the store is unavailable; retry later");
                    } else if (found.result().isEmpty()) {
                        error(ctx, 404, "not_found", "deployment not found");
                    } else {
                        follow(ctx, deploymentId);
                    }
                });
    }

    private void follow(RoutingContext ctx, String deploymentId) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Cache-Control", "no-cache");
        AtomicInteger sent = new AtomicInteger();
        AtomicLong lastWrite = new AtomicLong(System.nanoTime());
        AtomicLong timer = new AtomicLong(-1);
        Vertx vertx = ctx.vertx();
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> vertx.<String[]>executeBlocking(() -> {
            Optional<DeploymentRun> d = runs.find(deploymentId);
            // the state first: a deployment seen finished has its whole log stored. A pending one with an error
            // is not going to start (deploys are off): its log is all there is, so the answer ends too
            boolean finished = d.isEmpty() || d.get().finishedAt() != null
                    || d.get().status().equals(DeploymentRun.SUPERSEDED)
                    || d.get().status().equals(DeploymentRun.PENDING) && d.get().error() != null;
            return new String[] { runs.log(deploymentId), String.valueOf(finished) };
        }, false).onComplete(r -> {
            if (response.closed() || response.ended()) {
                return;
            }
            if (r.failed()) {
                response.end();
                return;
            }
            String text = r.result()[0];
            if (text.length() < sent.get()) {
                sent.set(text.length()); // the tail was trimmed (log cap): go on from its end
            }
            if (text.length() > sent.get()) {
                response.write(text.substring(sent.get()));
                sent.set(text.length());
                lastWrite.set(System.nanoTime());
            } else if (System.nanoTime() - lastWrite.get() > KEEP_ALIVE_NANOS) {
                // a quiet build step: a blank line keeps the connection under the server's idle timeout
                response.write("\n");
                lastWrite.set(System.nanoTime());
            }
            if (Boolean.parseBoolean(r.result()[1])) {
                response.end();
            } else {
                timer.set(vertx.setTimer(pollMillis, t -> poll[0].run()));
            }
        });
        response.closeHandler(v -> vertx.cancelTimer(timer.get()));
        poll[0].run();
    }

    private static void error(RoutingContext ctx, int status, String code, String message) {
        ApiError.end(ctx.response(), status, code, message);
    }
}
