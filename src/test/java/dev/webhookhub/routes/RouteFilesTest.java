package dev.webhookhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.support.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/** Every file in routes/ must load: a broken route file fails the build, not the next deployment. */
class RouteFilesTest {

    @Test
    void everyRouteFileLoadsWithReadableUniqueRouteIds() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(TestHub.projectDir().resolve("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        Set<String> ids = new HashSet<>();
        for (Path file : files) {
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                Resource resource = ResourceHelper.resolveMandatoryResource(context, "file:" + file);
                PluginHelper.getRoutesLoader(context).loadRoutes(resource);
                org.apache.camel.model.Model model = context.getCamelContextExtension()
                        .getContextPlugin(org.apache.camel.model.Model.class);
                List<RouteDefinition> routes = model.getRouteDefinitions();
                // a file holds flows, or only error handling shared by flows (routeConfigurations with ids)
                assertThat(routes.size() + model.getRouteConfigurationDefinitions().size())
                        .as("routes and route configurations in " + file.getFileName()).isPositive();
                for (var rc : model.getRouteConfigurationDefinitions()) {
                    assertThat(rc.getId()).as("route configuration id in " + file.getFileName())
                            .isNotBlank().matches("[a-z][a-z0-9-]+");
                    assertThat(ids.add(rc.getId())).as("duplicate id " + rc.getId()).isTrue();
                }
                for (RouteDefinition r : routes) {
                    assertThat(r.getRouteId()).as("route id in " + file.getFileName())
                            .isNotBlank().matches("[a-z][a-z0-9-]+");
                    assertThat(ids.add(r.getRouteId())).as("duplicate route id " + r.getRouteId()).isTrue();
                }
            }
        }
    }

    @Test
    void routeFilesUseTheCanonicalRouteFormWithExplicitIds() throws Exception {
        try (Stream<Path> s = Files.list(TestHub.projectDir().resolve("routes"))) {
            for (Path file : s.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                List<String> topLevel = Files.readAllLines(file).stream().filter(l -> l.startsWith("- ")).toList();
                assertThat(topLevel).as(file.getFileName().toString()).isNotEmpty()
                        .allMatch(l -> l.equals("- route:") || l.equals("- routeConfiguration:"));
                long routes = topLevel.stream().filter("- route:"::equals).count();
                long ids = Files.readAllLines(file).stream().filter(l -> l.matches("^    id: [a-z0-9-]+$")).count();
                assertThat(ids).as("every top-level item in " + file.getFileName() + " has an id")
                        .isEqualTo(topLevel.size());
                assertThat(topLevel).as(file.getFileName() + " holds routes, or only route configurations")
                        .matches(items -> routes > 0 || items.stream().allMatch("- routeConfiguration:"::equals));
            }
        }
    }

    /**
     * Webhook receivers (the POST platform-http routes) are tried first by the HTTP router, which tries routes in the
     * order they started, and copy no request header into the message (their verifiers read the request itself).
     */
    @Test
    void webhookReceiversStartFirstAndCopyNoRequestHeaders() throws Exception {
        List<String> receivers = new java.util.ArrayList<>();
        try (Stream<Path> s = Files.list(TestHub.projectDir().resolve("routes"))) {
            for (Path file : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (DefaultCamelContext context = new DefaultCamelContext()) {
                    Resource resource = ResourceHelper.resolveMandatoryResource(context, "file:" + file);
                    PluginHelper.getRoutesLoader(context).loadRoutes(resource);
                    for (RouteDefinition r : context.getCamelContextExtension()
                            .getContextPlugin(org.apache.camel.model.Model.class).getRouteDefinitions()) {
                        String uri = r.getInput().getEndpointUri();
                        if (uri.startsWith("platform-http:") && uri.contains("httpMethodRestrict=POST")) {
                            receivers.add(r.getRouteId());
                            assertThat(r.getStartupOrder()).as("startupOrder of " + r.getRouteId()).isNotNull();
                            assertThat(uri).as(r.getRouteId()).contains("headerFilterStrategy=#receiverHeaders");
                        }
                    }
                }
            }
        }
        assertThat(receivers).contains("git-webhook-receiver", "jenkins-webhook-receiver",
                "foundries-webhook-receiver", "registered-webhook-receiver");
    }

    @Test
    void aBrokenRouteFileIsReported() throws Exception {
        Path broken = Files.createTempFile("broken", ".yaml");
        Files.writeString(broken, "- route:\n    id: broken\n    from:\n      uri: timer:x\n      steps:\n"
                + "        - notAnEip: {}\n");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Resource resource = ResourceHelper.resolveMandatoryResource(context, "file:" + broken);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> PluginHelper.getRoutesLoader(context).loadRoutes(resource)).isInstanceOf(Exception.class);
        } finally {
            Files.delete(broken);
        }
    }
}
