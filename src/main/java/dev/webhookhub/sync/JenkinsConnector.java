package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.jenkins.JenkinsClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.camel.Exchange;

/**
 * The jenkins source (routes/connectors/source-jenkins.yaml), bound as {@code syncJenkins}: the jobs of a folder of
 * the hub's Jenkins (JENKINS_URL, with JENKINS_USER / JENKINS_API_TOKEN through the existing client, so the
 * credentials never go to another host) and their latest builds, one item per build with id {@code <job>#<number>}.
 */
public final class JenkinsConnector {

    private final JenkinsClient client;
    private final String jenkinsUrl;
    private final ObjectMapper mapper;

    public JenkinsConnector(JenkinsClient client, String jenkinsUrl, ObjectMapper mapper) {
        this.client = client;
        this.jenkinsUrl = jenkinsUrl == null ? "" : jenkinsUrl.trim();
        this.mapper = mapper;
    }

    public String items(Exchange e) {
        if (client == null || jenkinsUrl.isEmpty()) {
            throw new IllegalStateException("JENKINS_URL is not set");
        }
        String folder = prop(e, "syncFolder");
        String onlyJob = prop(e, "syncJob");
        int max = Integer.parseInt(prop(e, "syncMaxBuilds").isEmpty() ? "20" : prop(e, "syncMaxBuilds"));
        StringBuilder url = new StringBuilder(jenkinsUrl.endsWith("/") ? jenkinsUrl : jenkinsUrl + "/");
        if (!folder.isEmpty()) {
            for (String f : folder.split("/")) {
                url.append("job/").append(URLEncoder.encode(f, StandardCharsets.UTF_8).replace("+", "%20"))
                        .append('/');
            }
        }
        url.append("api/json?tree=").append(URLEncoder.encode("jobs[name,url,builds[number,result,building,"
                + "duration,timestamp,url,displayName]{0," + max + "}]", StandardCharsets.UTF_8));
        JsonNode root = client.getJson(url.toString(), Instant.now().plusSeconds(60));
        ArrayNode out = mapper.createArrayNode();
        for (JsonNode job : root.path("jobs")) {
            String name = job.path("name").asText();
            if (!onlyJob.isEmpty() && !onlyJob.equals(name)) {
                continue;
            }
            int n = 0;
            for (JsonNode b : job.path("builds")) {
                if (n++ >= max) {
                    break;
                }
                ObjectNode item = out.addObject();
                item.put("id", name + "#" + b.path("number").asText());
                item.put("job", name);
                item.put("folder", folder);
                item.set("number", b.path("number"));
                item.set("result", b.path("result").isMissingNode() ? null : b.get("result"));
                item.put("building", b.path("building").asBoolean());
                item.set("duration", b.path("duration"));
                item.set("timestamp", b.path("timestamp"));
                item.set("url", b.path("url"));
            }
        }
        return out.toString();
    }

    private static String prop(Exchange e, String name) {
        String v = e.getProperty(name, String.class);
        return v == null ? "" : v.trim();
    }
}
