package io.ployer.plugin.sqlite;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.PluginSmokeKit;
import java.nio.file.Path;
import java.util.Map;

/** The smoke kit every plugin passes, applied to SqlitePlugin. */
class SqlitePluginSmokeTest extends PluginSmokeKit {
    @Override
    protected PloyerPlugin plugin() {
        return new SqlitePlugin();
    }

    @Override
    protected Map<String, String> validConfig(String role, String name, Path scratch) {
        return Map.of("path", scratch.resolve("smoke").resolve("ployer.db").toString());
    }

    @Override
    protected boolean startable(String role, String name) {
        return true;
    }
}
