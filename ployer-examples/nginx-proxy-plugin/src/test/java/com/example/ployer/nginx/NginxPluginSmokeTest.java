package com.example.ployer.nginx;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.PluginSmokeKit;
import java.nio.file.Path;
import java.util.Map;

/** Ployer's smoke kit: name and key rules, create does no I/O (no nginx started, no file written), close twice. */
class NginxPluginSmokeTest extends PluginSmokeKit {
    @Override
    protected PloyerPlugin plugin() {
        return new NginxPlugin();
    }

    @Override
    protected Map<String, String> validConfig(String role, String name, Path scratch) {
        return Map.of("http-port", "18080", "control-port", "18081", "prefix", scratch.resolve("nginx").toString());
    }
}
