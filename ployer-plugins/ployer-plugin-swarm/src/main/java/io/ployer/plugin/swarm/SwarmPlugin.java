package io.ployer.plugin.swarm;

import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerRuntimeFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker Swarm: the {@code swarm} container runtime (config {@code host} — a Swarm manager's Docker Engine, default
 * {@code DOCKER_HOST} or the local socket —, {@code publish-host} default {@code 127.0.0.1}: the address the tasks'
 * published ports are reached at, {@code replicas} default 1: how many replicas a service runs unless its spec says,
 * {@code api-timeout} default 5m). See {@link SwarmRuntime}.
 */
public final class SwarmPlugin implements PloyerPlugin {

    @Override
    public List<ContainerRuntimeFactory> containerRuntimeFactories() {
        return List.of(new ContainerRuntimeFactory() {
            private final Set<String> keys = Set.of("host", "publish-host", "replicas", "api-timeout");

            @Override
            public String name() {
                return "swarm";
            }

            @Override
            public Set<String> configKeys() {
                return keys;
            }

            @Override
            public ContainerRuntime create(Map<String, String> config, PluginContext context) {
                PluginConfig reader = new PluginConfig("runtime swarm", config, keys);
                String environmentHost = System.getenv("DOCKER_HOST");
                String host = reader.string("host", environmentHost != null && !environmentHost.isBlank()
                        ? environmentHost : "unix:///var/run/docker.sock");
                String publishHost = reader.string("publish-host", "127.0.0.1");
                int replicas = reader.integer("replicas", 1, 0, 1000);
                Duration apiTimeout = reader.duration("api-timeout", Duration.ofMinutes(5));
                reader.validate();
                return new SwarmRuntime(host, publishHost, replicas, apiTimeout);
            }
        });
    }
}
