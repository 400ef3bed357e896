package dev.webhookhub.pipelines;

import static dev.webhookhub.pipelines.JsonFields.between;
import static dev.webhookhub.pipelines.JsonFields.firstText;
import static dev.webhookhub.pipelines.JsonFields.instant;
import static dev.webhookhub.pipelines.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/** A FoundriesFactory (JobServ) build webhook as a run (source {@code foundries}); its runs[] become the stages. */
public final class FoundriesRuns {

    public static final String SOURCE = "foundries";

    private FoundriesRuns() {
    }

    /** Job the trigger name (else the webhook's name), number the build id. Empty when build_id is missing. */
    public static Optional<RunReport> build(JsonNode p, String webhookName) {
        JsonNode id = p.get("build_id");
        if (id == null || !(id.isNumber() || id.isTextual()) || id.asText().isBlank()) {
            return Optional.empty();
        }
        Instant created = instant(text(p, "created"));
        JsonNode runs = p.get("runs");
        String job = firstText(p, new String[] { "trigger_name" }, new String[] { "name" });
        return Optional.of(new RunReport(SOURCE, job != null ? job : webhookName, id.asText(),
                StatusNormaliser.foundries(text(p, "status")), text(p, "status"),
                firstText(p, new String[] { "web_url" }, new String[] { "url" }), created,
                between(created, instant(text(p, "completed"))), null, null, null,
                runs != null && runs.isArray() ? runs.toString() : null));
    }
}
