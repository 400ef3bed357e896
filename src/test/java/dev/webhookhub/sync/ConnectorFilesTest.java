package dev.webhookhub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.support.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/** Every file in routes/connectors/ loads as one route template named after it, taking the hub's `in`. */
class ConnectorFilesTest {

    @Test
    void everyConnectorFileIsOneTemplateNamedAfterItsFileWithReadableNodeIds() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(TestHub.projectDir().resolve("routes/connectors"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("source-http-json.yaml",
                "source-sql.yaml", "target-sql.yaml", "target-http-json.yaml", "target-webhook.yaml");
        for (Path file : files) {
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                PluginHelper.getRoutesLoader(context)
                        .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:" + file));
                List<RouteTemplateDefinition> templates = context.getCamelContextExtension()
                        .getContextPlugin(Model.class).getRouteTemplateDefinitions();
                String name = file.getFileName().toString().replace(".yaml", "");
                assertThat(templates).as(name).hasSize(1);
                assertThat(templates.get(0).getId()).isEqualTo(name).matches("(source|target)-[a-z0-9-]+");
                assertThat(templates.get(0).getTemplateParameters()).extracting(
                        RouteTemplateParameterDefinition::getName).contains("in");
            }
            List<String> lines = Files.readAllLines(file);
            assertThat(lines.stream().filter(l -> l.startsWith("- ")).toList()).containsExactly("- routeTemplate:");
            long steps = lines.stream().filter(l -> l.matches("^\\s+- [a-zA-Z]+:$")).count();
            long ids = lines.stream().filter(l -> l.matches("^\\s+(- )?id: [a-z0-9-]+$")).count();
            assertThat(ids).as("ids in " + name(file)).isGreaterThanOrEqualTo(steps);
        }
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }
}
