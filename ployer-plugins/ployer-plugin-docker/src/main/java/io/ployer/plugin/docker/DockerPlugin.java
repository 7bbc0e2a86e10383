package io.ployer.plugin.docker;

import io.ployer.plugin.docker.internal.DockerContainerRuntime;
import io.ployer.plugin.docker.internal.DockerfileStrategy;
import io.ployer.plugin.docker.internal.ImageStrategy;
import io.ployer.plugin.docker.internal.StaticSiteStrategy;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.build.BuildStrategyFactory;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerRuntimeFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Docker: the {@code docker} container runtime (config {@code host} — default {@code DOCKER_HOST} or
 * the local socket —, {@code publish-host} default {@code 127.0.0.1}, {@code api-timeout} default 5m,
 * {@code docker-config}: the directory of the Docker client {@code config.json} whose {@code auths}
 * hold registry credentials, default {@code DOCKER_CONFIG} or {@code ~/.docker}; {@code publish-port}:
 * {@code free-here} (default, a port found free on this machine) or {@code engine} (Docker picks: an
 * engine on another machine))
 * and the {@code dockerfile}, {@code image} and {@code static} build strategies.
 */
public final class DockerPlugin implements PloyerPlugin {

    @Override
    public List<ContainerRuntimeFactory> containerRuntimeFactories() {
        return List.of(new ContainerRuntimeFactory() {
            private final Set<String> keys = Set.of("host", "publish-host", "api-timeout", "docker-config", "publish-port");

            @Override
            public String name() {
                return "docker";
            }

            @Override
            public Set<String> configKeys() {
                return keys;
            }

            @Override
            public ContainerRuntime create(Map<String, String> config, PluginContext context) {
                PluginConfig reader = new PluginConfig("runtime docker", config, keys);
                String environmentHost = System.getenv("DOCKER_HOST");
                String host = reader.string("host", environmentHost != null && !environmentHost.isBlank()
                        ? environmentHost : "unix:///var/run/docker.sock");
                String publishHost = reader.string("publish-host", "127.0.0.1");
                Duration apiTimeout = reader.duration("api-timeout", Duration.ofMinutes(5));
                String dockerConfig = reader.string("docker-config", null);
                String publishPort = reader.string("publish-port", "free-here");
                if (!publishPort.equals("free-here") && !publishPort.equals("engine")) {
                    reader.problem("publish-port", "must be free-here (a port free on this machine) or engine (Docker picks)");
                }
                reader.validate();
                Clock clock;
                try {
                    clock = context.clock();
                } catch (UnsupportedOperationException e) {
                    clock = Clock.systemUTC();
                }
                return new DockerContainerRuntime(host, publishHost, apiTimeout, clock, dockerConfig, publishPort.equals("engine"));
            }
        });
    }

    @Override
    public List<BuildStrategyFactory> buildStrategyFactories() {
        return List.of(
                strategy("dockerfile", Set.of(), config -> new DockerfileStrategy()),
                strategy("image", Set.of(), config -> new ImageStrategy()),
                strategy("static", Set.of("base-image"), config -> new StaticSiteStrategy(
                        config.string("base-image", "ployer/caddy-static:latest"))));
    }

    private static BuildStrategyFactory strategy(String name, Set<String> keys, Function<PluginConfig, BuildStrategy> maker) {
        return new BuildStrategyFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<String> configKeys() {
                return keys;
            }

            @Override
            public BuildStrategy create(Map<String, String> config, PluginContext context) {
                PluginConfig reader = new PluginConfig("build " + name, config, keys);
                BuildStrategy strategy = maker.apply(reader);
                reader.validate();
                return strategy;
            }
        };
    }
}
