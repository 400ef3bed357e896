package dev.webhookhub;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * Builds the camel-main runtime: settings from {@code config/application.properties} (and
 * {@code config/application-<profile>.properties} when {@code HUB_PROFILE} is set), routes from {@code routes/}, and
 * the {@link HubConfiguration} beans. {@code overrides} win over every file (tests use them).
 */
public final class HubMain {

    private HubMain() {
    }

    public static Main create(Map<String, String> env, Map<String, String> overrides) {
        Main main = new Main();
        String configDir = env.getOrDefault("HUB_CONFIG_DIR", "config");
        List<String> locations = new ArrayList<>();
        locations.add("file:" + configDir + "/application.properties");
        String profile = env.get("HUB_PROFILE");
        if (profile != null && !profile.isBlank()) {
            for (String p : profile.split(",")) {
                locations.add("file:" + configDir + "/application-" + p.trim() + ".properties");
            }
        }
        main.setPropertyPlaceholderLocations(String.join(",", locations));
        main.addInitialProperty("hub.config-dir", configDir);
        main.configure().addConfiguration(new HubConfiguration());
        overrides.forEach(main::addOverrideProperty);
        return main;
    }
}
