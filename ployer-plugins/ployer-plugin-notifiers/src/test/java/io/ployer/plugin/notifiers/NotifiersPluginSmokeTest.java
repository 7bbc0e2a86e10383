package io.ployer.plugin.notifiers;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.PluginSmokeKit;
import java.nio.file.Path;
import java.util.Map;

/** The smoke kit every plugin passes, applied to NotifiersPlugin. */
class NotifiersPluginSmokeTest extends PluginSmokeKit {
    @Override
    protected PloyerPlugin plugin() {
        return new NotifiersPlugin();
    }

    @Override
    protected Map<String, String> validConfig(String role, String name, Path scratch) {
        return switch (name) {
            case "telegram" -> Map.of("token", "123:abc", "chat-id", "42");
            case "email" -> Map.of("host", "127.0.0.1", "from", "ployer@example.com", "to", "ops@example.com");
            default -> Map.of("url", "http://127.0.0.1:9/hook");
        };
    }
}
