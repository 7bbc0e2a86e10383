package com.example.ployer.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.proxy.TlsMode;
import io.ployer.testkit.FreePorts;
import io.ployer.testkit.proxy.ReverseProxyCompatibilityKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nginx plugin passes Ployer's reverse-proxy TCK against a real nginx of its own. */
class NginxReverseProxyIT extends ReverseProxyCompatibilityKit {
    @TempDir
    static Path directory;
    static int httpPort;
    static ReverseProxy proxy;

    @BeforeAll
    static void startNginx() {
        httpPort = FreePorts.next();
        proxy = create(Map.of("http-port", String.valueOf(httpPort), "control-port", String.valueOf(FreePorts.next()),
                "prefix", directory.resolve("nginx").toString(), "stop-on-close", "true"));
        proxy.start();
    }

    @AfterAll
    static void stopNginx() {
        if (proxy != null) {
            proxy.close();
        }
    }

    static ReverseProxy create(Map<String, String> config) {
        return new NginxPlugin().reverseProxyFactories().get(0).create(config, new PluginContext() {
        });
    }

    @Override
    protected ReverseProxy proxy() {
        return proxy;
    }

    @Override
    protected int proxyHttpPort() {
        return httpPort;
    }

    @Override
    protected ReverseProxy unreachableProxy() {
        return create(Map.of("http-port", String.valueOf(FreePorts.next()), "control-port", String.valueOf(FreePorts.next()),
                "prefix", directory.resolve("never-started").toString()));
    }

    @Test
    void writesOneFileARouteAndLeavesNoTemporaryFiles() throws Exception {
        proxy.apply(new Route("files-app", List.of("files.nginx.test"), List.of(backend("F")), TlsMode.AUTO));
        try (var files = Files.list(directory.resolve("nginx/routes"))) {
            assertThat(files.map(path -> path.getFileName().toString()).toList())
                    .anyMatch(name -> name.startsWith("files-app_") && name.endsWith(".conf"))
                    .noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void refusesAHostThatCouldInjectConfigurationAndKeepsServing() {
        proxy.apply(new Route("kept-app", List.of("kept.nginx.test"), List.of(backend("K")), TlsMode.AUTO));
        assertThatThrownBy(() -> proxy.apply(new Route("evil", List.of("evil.test; return 200"), List.of(backend("E")), TlsMode.AUTO)))
                .isInstanceOf(PloyerException.class).hasMessageContaining("evil.test; return 200");
        assertThat(get("kept.nginx.test").body()).isEqualTo("K");
    }

    @Test
    void rejectsMissingPortsNamingEachKey() {
        assertThatThrownBy(() -> create(Map.of("colour", "blue")))
                .hasMessageContaining("http-port").hasMessageContaining("control-port").hasMessageContaining("colour");
    }
}
