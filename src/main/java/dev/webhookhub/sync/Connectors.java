package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.security.DestinationPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;

/**
 * The sync connectors: Camel route templates with ids {@code source-<type>} and {@code target-<type>} (YAML files in
 * {@code routes/connectors/}). A config's settings are the template's parameters, checked against the template's
 * declaration when the config is saved; {@code in} (the {@code direct:} name the hub calls) is set by the hub.
 */
public final class Connectors {

    public static final String SOURCE = "source";
    public static final String TARGET = "target";
    /** The parameter the hub sets: the name of the direct endpoint the instantiated route consumes. */
    static final String IN = "in";
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private final CamelContext context;
    private final DestinationPolicy destinations;

    /** {@code destinations}: URLs in settings may not name internal addresses (HUB_OUTBOUND_ALLOWED_NETWORKS). */
    public Connectors(CamelContext context, DestinationPolicy destinations) {
        this.context = context;
        this.destinations = destinations;
    }

    /** The connector types of one kind ({@code source}, {@code target}) the templates define. */
    public List<String> types(String kind) {
        TreeSet<String> out = new TreeSet<>();
        for (RouteTemplateDefinition t : model().getRouteTemplateDefinitions()) {
            if (t.getId() != null && t.getId().startsWith(kind + "-")) {
                out.add(t.getId().substring(kind.length() + 1));
            }
        }
        return new ArrayList<>(out);
    }

    /** The template's declared parameters that a config may set (all but {@code in}). */
    public List<RouteTemplateParameterDefinition> parameters(String kind, String type) {
        RouteTemplateDefinition t = template(kind, type);
        List<RouteTemplateParameterDefinition> out = new ArrayList<>();
        if (t != null && t.getTemplateParameters() != null) {
            for (RouteTemplateParameterDefinition p : t.getTemplateParameters()) {
                if (!IN.equals(p.getName())) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /**
     * Checks a connector spec ({@code {"type": ..., <settings>}} or {@code {"type": ..., "settings": {...}}}) and
     * returns its settings; a 400 names the offending field ({@code source.url}).
     */
    public ObjectNode settings(String kind, JsonNode spec) {
        if (spec == null || !spec.isObject()) {
            throw ApiError.badRequest("invalid_field", kind + " must be an object with a type");
        }
        JsonNode typeNode = spec.get("type");
        String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
        if (type == null || !TYPE.matcher(type).matches() || template(kind, type) == null) {
            throw ApiError.badRequest("invalid_field", kind + ".type must be one of " + types(kind));
        }
        ObjectNode settings;
        String prefix;
        if (spec.has("settings")) {
            if (!spec.get("settings").isObject() || spec.size() != 2) {
                throw ApiError.badRequest("invalid_field",
                        kind + ".settings must be an object, and the only field beside type");
            }
            settings = ((ObjectNode) spec.get("settings")).deepCopy();
            prefix = kind + ".settings.";
        } else {
            settings = ((ObjectNode) spec).deepCopy();
            settings.remove("type");
            prefix = kind + ".";
        }
        Map<String, RouteTemplateParameterDefinition> declared = new LinkedHashMap<>();
        for (RouteTemplateParameterDefinition p : parameters(kind, type)) {
            declared.put(p.getName(), p);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!declared.containsKey(f.getKey())) {
                throw ApiError.badRequest("invalid_field", prefix + f.getKey() + " is not a setting of the " + type
                        + " " + kind + " (settings: " + String.join(", ", declared.keySet()) + ")");
            }
            JsonNode v = f.getValue();
            boolean scalars = v.isArray();
            if (scalars) {
                for (JsonNode e : v) {
                    scalars &= e.isValueNode() && !e.isNull();
                }
            }
            if (!(v.isValueNode() && !v.isNull()) && !scalars) {
                throw ApiError.badRequest("invalid_field", prefix + f.getKey()
                        + " must be a string, number, boolean or an array of them");
            }
            if (text(v).length() > 10_000) {
                throw ApiError.badRequest("invalid_field", prefix + f.getKey() + " is too long");
            }
            if ((f.getKey().equals("url") || f.getKey().endsWith("_url")) && !text(v).isEmpty()) {
                checkUrl(prefix + f.getKey(), text(v));
            }
            if (f.getKey().equals("items") && !text(v).startsWith("$")) {
                throw ApiError.badRequest("invalid_field", prefix + "items must be a JSON path such as $.builds");
            }
        }
        for (RouteTemplateParameterDefinition p : declared.values()) {
            boolean required = p.isRequired() && p.getDefaultValue() == null;
            if (required && (!settings.has(p.getName()) || text(settings.get(p.getName())).isBlank())) {
                throw ApiError.badRequest("invalid_field", prefix + p.getName() + " is required for the " + type
                        + " " + kind);
            }
        }
        return settings;
    }

    /**
     * Adds a route from the connector's template; returns the endpoint URI to call it on. Adding and removing routes
     * is serialised: jobs start in parallel, and the context's route model is not meant for concurrent changes.
     */
    public synchronized String instantiate(String kind, String type, ObjectNode settings, String routeId) {
        RouteTemplateDefinition t = template(kind, type);
        if (t == null) {
            throw new IllegalStateException("no connector template " + kind + "-" + type);
        }
        TemplatedRouteBuilder b = TemplatedRouteBuilder.builder(context, kind + "-" + type).routeId(routeId)
                .prefixId(routeId + "-").parameter(IN, routeId);
        for (RouteTemplateParameterDefinition p : parameters(kind, type)) {
            String v = settings.has(p.getName()) ? text(settings.get(p.getName()))
                    : p.getDefaultValue() != null ? p.getDefaultValue() : "";
            b.parameter(p.getName(), v);
        }
        b.add();
        return "direct:" + routeId;
    }

    /**
     * Removes a job's connector route. Not while the context stops: a job handed back by a graceful stop ends then,
     * and a route removed during the stop races with the context's own iteration over its routes (a
     * ConcurrentModificationException out of {@code AbstractCamelContext.doStop}); the stop removes every route.
     */
    public synchronized void remove(String routeId) {
        try {
            removeRoute(context, routeId);
        } catch (Exception e) {
            throw new IllegalStateException("cannot remove connector route " + routeId, e);
        }
    }

    /**
     * Stops and removes a route the sync jobs added (a connector's, a config's schedule), unless the context is
     * stopping or stopped, which removes every route itself (see {@link #remove}).
     */
    static void removeRoute(CamelContext context, String routeId) throws Exception {
        if (context.isStopping() || context.isStopped()) {
            return;
        }
        context.getRouteController().stopRoute(routeId);
        context.removeRoute(routeId);
    }

    /** A setting as template text: arrays join with commas. */
    static String text(JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(e.asText()));
            return String.join(",", parts);
        }
        return v.asText();
    }

    private void checkUrl(String field, String s) {
        String url = s.replace("{id}", "id");
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw ApiError.badRequest("invalid_field", field + " must be an http or https URL");
            }
        } catch (URISyntaxException e) {
            throw ApiError.badRequest("invalid_field", field + " must be an http or https URL");
        }
        String refused = destinations.check(url);
        if (refused != null) {
            throw ApiError.badRequest("destination_not_allowed", field + ": " + refused);
        }
    }

    private RouteTemplateDefinition template(String kind, String type) {
        return model().getRouteTemplateDefinition(kind + "-" + type);
    }

    private Model model() {
        return context.getCamelContextExtension().getContextPlugin(Model.class);
    }
}
