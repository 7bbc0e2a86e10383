package com.example.ployer.nginx;

import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.ReverseProxyFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reverse proxy plugin for Ployer backed by nginx, written against the published {@code ployer-api} only.
 * Choose it with {@code proxy=nginx} ({@code PLOYER_PROXY=nginx}); its settings are {@code proxy.<key>} ({@code PLOYER_PROXY_HTTP_PORT} …):
 * <ul>
 *   <li>{@code http-port} (required): where nginx serves the applications;</li>
 *   <li>{@code control-port} (required): a loopback port the plugin uses to see which configuration nginx serves;</li>
 *   <li>{@code listen-host} (default {@code 127.0.0.1});</li>
 *   <li>{@code prefix} (default: the plugin's data directory + {@code /nginx}): nginx's own prefix, with its
 *       {@code nginx.conf}, pid file, logs, temp files and one file per route in {@code routes/};</li>
 *   <li>{@code nginx-binary} (default {@code /usr/sbin/nginx});</li>
 *   <li>{@code reload-timeout} (default {@code 20s}): how long a change waits for nginx to serve it;</li>
 *   <li>{@code stop-on-close} (default {@code false}): stop nginx when the engine closes (applications
 *       stay reachable otherwise, like with Caddy).</li>
 * </ul>
 */
public final class NginxPlugin implements PloyerPlugin {
    static final Set<String> KEYS = Set.of("http-port", "control-port", "listen-host", "prefix", "nginx-binary",
            "reload-timeout", "stop-on-close");

    @Override
    public List<ReverseProxyFactory> reverseProxyFactories() {
        return List.of(new ReverseProxyFactory() {
            @Override
            public String name() {
                return "nginx";
            }

            @Override
            public Set<String> configKeys() {
                return KEYS;
            }

            @Override
            public ReverseProxy create(Map<String, String> config, PluginContext context) {
                PluginConfig reader = new PluginConfig("proxy nginx", config, KEYS);
                int httpPort = reader.integer("http-port", 0, 1, 65535);
                int controlPort = reader.integer("control-port", 0, 1, 65535);
                if (reader.string("http-port", null) == null) {
                    reader.problem("http-port", "required");
                }
                if (reader.string("control-port", null) == null) {
                    reader.problem("control-port", "required");
                }
                if (httpPort != 0 && httpPort == controlPort) {
                    reader.problem("control-port", "must differ from http-port");
                }
                String listenHost = reader.string("listen-host", "127.0.0.1");
                if (!listenHost.matches("[0-9a-fA-F.:\\[\\]]+|localhost")) {
                    reader.problem("listen-host", "must be an IP address");
                }
                String prefix = reader.string("prefix", null);
                Path binary = Path.of(reader.string("nginx-binary", "/usr/sbin/nginx"));
                Duration reloadTimeout = reader.duration("reload-timeout", Duration.ofSeconds(20));
                boolean stopOnClose = reader.bool("stop-on-close", false);
                reader.validate();
                NginxSettings settings = new NginxSettings(binary, prefix == null ? null : Path.of(prefix), listenHost,
                        httpPort, controlPort, reloadTimeout, stopOnClose);
                return new NginxReverseProxy(settings, context);
            }
        });
    }
}
