package io.ployer.plugin.caddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.proxy.TlsMode;
import io.ployer.api.container.Endpoint;
import io.ployer.testkit.FreePorts;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import io.ployer.testkit.proxy.ReverseProxyCompatibilityKit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Caddy plugin against a real Caddy started for this class. */
class CaddyReverseProxyIT extends ReverseProxyCompatibilityKit {
    @TempDir
    static Path directory;
    static CaddyProcess caddy;
    static ReverseProxy proxy;
    static CaddyProcess tlsCaddy;
    static TlsProxy tlsProxy;

    @BeforeAll
    static void startCaddy() {
        caddy = CaddyProcess.start(directory.resolve("caddy"));
        proxy = create(Map.of("admin-address", caddy.adminAddress(), "http-port", String.valueOf(caddy.httpPort()),
                "listen-host", "127.0.0.1", "http-only", "true"));
        proxy.start();
    }

    @AfterAll
    static void stopCaddy() {
        if (caddy != null) {
            caddy.close();
        }
        if (tlsCaddy != null) {
            tlsCaddy.close();
        }
    }

    static ReverseProxy create(Map<String, String> config) {
        return new CaddyPlugin().reverseProxyFactories().get(0).create(config, new PluginContext() {
        });
    }

    @Override
    protected ReverseProxy proxy() {
        return proxy;
    }

    @Override
    protected int proxyHttpPort() {
        return caddy.httpPort();
    }

    /** A second Caddy with TLS on (the kit's MANAGES_TLS tests), started on first use. */
    @Override
    protected synchronized TlsProxy tlsProxy() {
        if (tlsProxy == null) {
            tlsCaddy = CaddyProcess.start(directory.resolve("kit-tls"));
            int httpsPort = FreePorts.next();
            ReverseProxy started = create(Map.of("admin-address", tlsCaddy.adminAddress(), "http-port",
                    String.valueOf(tlsCaddy.httpPort()), "https-port", String.valueOf(httpsPort), "listen-host", "127.0.0.1",
                    "request-timeout", "60s"));
            started.start();
            tlsProxy = new TlsProxy(started, httpsPort);
        }
        return tlsProxy;
    }

    @Test
    void refusesAnInternalTlsRouteWhenHttpOnly() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> proxy.apply(new Route("http-only-tls",
                List.of("x.localhost"), List.of(backend("X")), TlsMode.INTERNAL)))
                .hasMessageContaining("http-only");
    }

    @Override
    protected ReverseProxy unreachableProxy() {
        return create(Map.of("admin-address", "http://127.0.0.1:" + FreePorts.next(), "http-only", "true"));
    }

    @Test
    void givesLocalNamesAnInternalCertificatePolicyOutsideHttpOnlyMode() throws Exception {
        try (CaddyProcess tlsCaddy = CaddyProcess.start(directory.resolve("tls"))) {
            int httpsPort = FreePorts.next();
            ReverseProxy tlsProxy = create(Map.of("admin-address", tlsCaddy.adminAddress(), "http-port",
                    String.valueOf(tlsCaddy.httpPort()), "https-port", String.valueOf(httpsPort), "listen-host", "127.0.0.1",
                    // Caddy sets up its internal CA on the first TLS policy: slow on a loaded machine.
                    "request-timeout", "60s"));
            tlsProxy.start();
            tlsProxy.apply(new Route("tls-app", List.of("shop.localhost", "shop.example.com"), List.of(backend("TLS")),
                    TlsMode.AUTO));
            HttpResponse<String> config = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(tlsCaddy.adminAddress() + "id/ployer-tls-tls-app")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).contains("\"internal\"").contains("shop.localhost").doesNotContain("shop.example.com");
            tlsProxy.remove("tls-app");
            HttpResponse<String> removed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(tlsCaddy.adminAddress() + "id/ployer-tls-tls-app")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(removed.statusCode()).isNotEqualTo(200);
        }
    }

    @Test
    void keepsConfigurationThatIsNotPloyers() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String other = "{\"listen\":[\"127.0.0.1:" + FreePorts.next() + "\"],\"routes\":[]}";
        HttpResponse<String> added = client.send(HttpRequest.newBuilder(URI.create(caddy.adminAddress() + "config/apps/http/servers/other"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(other)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        proxy.replaceAll(List.of(new Route("kept-app", List.of("kept.other.test"), List.of(backend("K")), TlsMode.NONE)));
        HttpResponse<String> still = client.send(HttpRequest.newBuilder(URI.create(caddy.adminAddress() + "config/apps/http/servers/other"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(still.statusCode()).isEqualTo(200);
        assertThat(still.body()).contains("listen");
    }

    @Test
    void rejectsUnknownConfiguration() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> create(Map.of("colour", "blue", "http-port", "0")))
                .hasMessageContaining("colour").hasMessageContaining("http-port");
    }

}
