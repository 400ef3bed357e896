package dev.webhookhub.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.events.HubEvent;
import java.util.Set;

/**
 * The JSON bodies of the URL channels: a Slack incoming-webhook message ({@code text} + Block Kit {@code blocks}),
 * a Microsoft Teams incoming-webhook message carrying an Adaptive Card, and for plain webhooks the event itself.
 * Chat bodies are made from the rendered subject and plain-text template: a line {@code Label: value} becomes a
 * field (a Slack bold label, a Teams fact).
 */
public final class ChatPayloads {

    private static final Set<String> SLACK_OVERRIDES = Set.of("channel", "username", "icon_emoji", "icon_url");

    private final ObjectMapper mapper;

    public ChatPayloads(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode slack(RenderedMessage m, String link, JsonNode settings) {
        ObjectNode root = mapper.createObjectNode();
        root.put("text", m.subject());
        if (settings != null && settings.isObject()) {
            for (String f : SLACK_OVERRIDES) {
                if (settings.path(f).isTextual()) {
                    root.put(f, settings.get(f).asText());
                }
            }
        }
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", cut(m.subject(), 150)).put("emoji", true);
        StringBuilder body = new StringBuilder();
        for (String line : bodyLines(m.text())) {
            int colon = line.indexOf(": ");
            if (colon > 0 && colon < 40) {
                body.append('*').append(slackEscape(line.substring(0, colon))).append(":* ")
                        .append(slackEscape(line.substring(colon + 2))).append('\n');
            } else {
                body.append(slackEscape(line)).append('\n');
            }
        }
        if (body.length() > 0) {
            ObjectNode section = blocks.addObject().put("type", "section");
            section.putObject("text").put("type", "mrkdwn").put("text", cut(body.toString().stripTrailing(), 3000));
        }
        if (!link.isEmpty()) {
            ObjectNode actions = blocks.addObject().put("type", "actions");
            ObjectNode button = actions.putArray("elements").addObject().put("type", "button").put("url", link);
            button.putObject("text").put("type", "plain_text").put("text", "Open");
        }
        return root;
    }

    public ObjectNode teams(RenderedMessage m, String link) {
        ObjectNode root = mapper.createObjectNode();
        root.put("type", "message");
        ObjectNode attachment = root.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", m.subject()).put("weight", "Bolder")
                .put("size", "Medium").put("wrap", true);
        ArrayNode facts = null;
        for (String line : bodyLines(m.text())) {
            int colon = line.indexOf(": ");
            if (colon > 0 && colon < 40) {
                if (facts == null) {
                    facts = body.addObject().put("type", "FactSet").putArray("facts");
                }
                facts.addObject().put("title", line.substring(0, colon)).put("value", line.substring(colon + 2));
            } else {
                body.addObject().put("type", "TextBlock").put("text", line).put("wrap", true);
                facts = null;
            }
        }
        if (!link.isEmpty()) {
            card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", "Open").put("url", link);
        }
        return root;
    }

    /** The event as JSON, with the rendered subject and text. */
    public ObjectNode webhook(HubEvent e, RenderedMessage m, String settingId) {
        ObjectNode root = mapper.createObjectNode();
        root.put("type", e.type());
        root.put("id", e.id());
        root.put("time", e.time().toString());
        root.put("subject", e.subject());
        root.put("subject_key", e.subjectKey());
        root.put("service_id", e.serviceId());
        root.put("sync_config_id", e.syncConfigId());
        root.set("data", mapper.valueToTree(e.data()));
        ObjectNode n = root.putObject("notification");
        n.put("setting_id", settingId);
        n.put("title", m.subject());
        n.put("text", m.text());
        return root;
    }

    /** The text body without its first line when that repeats the title, and without blank lines. */
    private static java.util.List<String> bodyLines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static String slackEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
