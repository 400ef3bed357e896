package dev.webhookhub.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.api.Requests;
import dev.webhookhub.store.DeploymentRun;
import dev.webhookhub.store.DeploymentRuns;
import dev.webhookhub.store.Page;
import dev.webhookhub.store.Service;
import dev.webhookhub.store.ServiceStore;
import java.time.Instant;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * Handlers for a service's deployments: list, one, its build log, manual deploy of a commit or branch, redeploy,
 * and roll back to the last healthy image. Starting one while the service is mid-deploy answers 409.
 */
public final class DeploymentsApi {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,64}");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,255}");

    private final ObjectMapper mapper;
    private final ServiceStore services;
    private final DeploymentRuns runs;

    public DeploymentsApi(ObjectMapper mapper, ServiceStore services, DeploymentRuns runs) {
        this.mapper = mapper;
        this.services = services;
        this.runs = runs;
    }

    public void list(Exchange exchange) {
        Service s = service(exchange);
        int limit = Requests.intParam(exchange, "limit", 50, 1, 1000);
        int offset = Requests.intParam(exchange, "offset", 0, 0, Integer.MAX_VALUE);
        Page<DeploymentRun> page = runs.listForService(s.id(), limit, offset, Requests.cursorParam(exchange, "before"));
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        page.items().forEach(d -> items.add(json(d)));
        out.put("total", page.total());
        out.put("limit", page.limit());
        out.put("offset", page.offset());
        if (page.nextBefore() != null) {
            out.put("next_before", page.nextBefore());
        }
        Requests.respond(exchange, 200, out, mapper);
    }

    public void get(Exchange exchange) {
        Requests.respond(exchange, 200, json(deployment(exchange, service(exchange))), mapper);
    }

    public void logs(Exchange exchange) {
        DeploymentRun d = deployment(exchange, service(exchange));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(runs.log(d.id()));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
    }

    /** {"commit": "..."} or {"branch": "..."} (neither: the service's branch). */
    public void deploy(Exchange exchange) {
        Service s = service(exchange);
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        String commit = text(body, "commit", COMMIT, "commit must be a commit SHA (7 to 64 hex characters)");
        String branch = text(body, "branch", BRANCH, "branch must be a branch name such as main");
        if (commit != null && body.hasNonNull("branch")) {
            throw ApiError.badRequest("invalid_field", "give commit or branch, not both");
        }
        notBusy(s);
        DeploymentRun d = runs.createPending(s.id(), "manual", commit == null ? null : commit.toLowerCase(),
                branch != null ? branch : s.gitBranch(), "manual deploy", s.gitRepository(), null);
        Requests.respond(exchange, 202, json(d), mapper);
    }

    public void redeploy(Exchange exchange) {
        Service s = service(exchange);
        DeploymentRun from = deployment(exchange, s);
        if (from.commitSha() == null) {
            throw new ApiError(409, "nothing_to_redeploy", "deployment " + from.id() + " has no commit");
        }
        notBusy(s);
        DeploymentRun d = runs.createPending(s.id(), "redeploy", from.commitSha(), from.branch(),
                "redeploy of " + from.id(), from.repositoryUrl() != null ? from.repositoryUrl() : s.gitRepository(),
                null);
        Requests.respond(exchange, 202, json(d), mapper);
    }

    public void rollback(Exchange exchange) {
        Service s = service(exchange);
        notBusy(s);
        String current = runs.currentImage(s.id()).orElse(null);
        String target = runs.lastHealthyImageBefore(s.id(), current).orElseThrow(() -> new ApiError(409,
                "nothing_to_roll_back_to", "no earlier healthy image of the service to roll back to"));
        DeploymentRun d = runs.createPending(s.id(), "rollback", null, s.gitBranch(), "roll back to " + target,
                s.gitRepository(), target);
        Requests.respond(exchange, 202, json(d), mapper);
    }

    private void notBusy(Service s) {
        if (runs.busy(s.id())) {
            throw new ApiError(409, "deployment_in_progress", "service " + s.id() + " is mid-deploy; try again when "
                    + "its deployment has finished");
        }
    }

    private static String text(ObjectNode body, String field, Pattern pattern, String message) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || !pattern.matcher(n.asText()).matches()) {
            throw ApiError.badRequest("invalid_field", message);
        }
        return n.asText();
    }

    private Service service(Exchange exchange) {
        return services.find(Requests.pathParam(exchange, "serviceId"))
                .orElseThrow(() -> ApiError.notFound("service"));
    }

    private DeploymentRun deployment(Exchange exchange, Service s) {
        return runs.find(Requests.pathParam(exchange, "deploymentId")).filter(d -> d.serviceId().equals(s.id()))
                .orElseThrow(() -> ApiError.notFound("deployment"));
    }

    ObjectNode json(DeploymentRun d) {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", d.id());
        o.put("service_id", d.serviceId());
        o.put("delivery_id", d.deliveryId());
        o.put("provider", d.provider());
        o.put("status", d.status());
        o.put("commit_sha", d.commitSha());
        o.put("branch", d.branch());
        o.put("commit_message", d.commitMessage());
        o.put("author", d.author());
        o.put("repository_url", d.repositoryUrl());
        o.put("compare_url", d.compareUrl());
        o.put("image", d.image());
        o.put("previous_image", d.previousImage());
        o.put("error", d.error());
        o.put("build_started_at", time(d.buildStartedAt()));
        o.put("build_finished_at", time(d.buildFinishedAt()));
        o.put("deploy_started_at", time(d.deployStartedAt()));
        o.put("deploy_finished_at", time(d.deployFinishedAt()));
        o.put("rollback_started_at", time(d.rollbackStartedAt()));
        o.put("rollback_finished_at", time(d.rollbackFinishedAt()));
        o.put("finished_at", time(d.finishedAt()));
        o.put("created_at", time(d.createdAt()));
        o.put("updated_at", time(d.updatedAt()));
        return o;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
