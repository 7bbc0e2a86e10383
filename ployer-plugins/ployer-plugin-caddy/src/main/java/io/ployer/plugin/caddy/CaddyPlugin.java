package io.ployer.plugin.caddy;

import io.ployer.plugin.caddy.internal.CaddyReverseProxy;
import io.ployer.plugin.caddy.internal.CaddySettings;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.ReverseProxyFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Caddy 2 as Ployer's reverse proxy, driven through its admin API. Configuration:
 * {@code admin-address} (default {@code http://127.0.0.1:2019}), {@code server-name} (default
 * {@code ployer}), {@code listen-host} (default every interface), {@code http-port} (80),
 * {@code https-port} (443), {@code http-only} (false), {@code try-duration} (5s),
 * {@code request-timeout} (10s).
 */
public final class CaddyPlugin implements PloyerPlugin {
    static final Set<String> KEYS = Set.of("admin-address", "server-name", "listen-host", "http-port", "https-port",
            "http-only", "try-duration", "request-timeout");

    @Override
    public List<ReverseProxyFactory> reverseProxyFactories() {
        return List.of(new ReverseProxyFactory() {
            @Override
            public String name() {
                return "caddy";
            }

            @Override
            public Set<String> configKeys() {
                return KEYS;
            }

            @Override
            public ReverseProxy create(Map<String, String> config, PluginContext context) {
                PluginConfig reader = new PluginConfig("proxy caddy", config, KEYS);
                String admin = reader.string("admin-address", "http://127.0.0.1:2019");
                URI adminAddress = null;
                try {
                    adminAddress = URI.create(admin.endsWith("/") ? admin : admin + "/");
                    if (adminAddress.getHost() == null || !"http".equals(adminAddress.getScheme())) {
                        reader.problem("admin-address", "must be an http:// URL such as http://127.0.0.1:2019");
                    }
                } catch (IllegalArgumentException e) {
                    reader.problem("admin-address", "must be an http:// URL such as http://127.0.0.1:2019");
                }
                String serverName = reader.string("server-name", "ployer");
                if (!serverName.matches("[a-z][a-z0-9_-]{0,63}")) {
                    reader.problem("server-name", "must match [a-z][a-z0-9_-]{0,63}");
                }
                CaddySettings settings = new CaddySettings(adminAddress, serverName, reader.string("listen-host", ""),
                        reader.integer("http-port", 80, 1, 65535), reader.integer("https-port", 443, 1, 65535),
                        reader.bool("http-only", false), reader.duration("try-duration", Duration.ofSeconds(5)),
                        reader.duration("request-timeout", Duration.ofSeconds(10)));
                reader.validate();
                HttpClient http;
                try {
                    http = context.httpClient();
                } catch (UnsupportedOperationException e) {
                    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                }
                return new CaddyReverseProxy(settings, http);
            }
        });
    }
}
