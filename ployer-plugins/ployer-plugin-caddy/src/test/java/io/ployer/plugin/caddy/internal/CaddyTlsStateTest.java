package io.ployer.plugin.caddy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.proxy.TlsMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What Caddy says about a hostname's TLS: what it configures for it (no request to Caddy needed). */
class CaddyTlsStateTest {
    private static CaddyReverseProxy proxy(boolean httpOnly) {
        return new CaddyReverseProxy(new CaddySettings(URI.create("http://127.0.0.1:2019"), "ployer", "127.0.0.1", 80, 443, httpOnly,
                Duration.ofSeconds(5), Duration.ofSeconds(30)), HttpClient.newHttpClient());
    }

    @Test
    void publicNamesGetAPublicCertificateLocalOnesTheInternalCaAndHttpOnlyNone() {
        CaddyReverseProxy tls = proxy(false);
        assertThat(tls.tlsFor("shop.example.com")).contains(TlsMode.AUTO);
        assertThat(tls.tlsFor("web.example.test")).contains(TlsMode.INTERNAL);
        assertThat(tls.tlsFor("app.localhost")).contains(TlsMode.INTERNAL);
        assertThat(tls.tlsFor("10.0.0.7")).contains(TlsMode.INTERNAL);
        assertThat(proxy(true).tlsFor("shop.example.com")).contains(TlsMode.NONE);
    }

    @Test
    void theHttpsListenerIsReachedOnItsListenHostOrLoopbackAndHttpOnlyHasNone() {
        assertThat(proxy(false).httpsAddress()).hasValueSatisfying(address -> {
            assertThat(address.getHostString()).isEqualTo("127.0.0.1");
            assertThat(address.getPort()).isEqualTo(443);
        });
        CaddyReverseProxy everywhere = new CaddyReverseProxy(new CaddySettings(URI.create("http://127.0.0.1:2019"), "ployer", "", 80,
                8443, false, Duration.ofSeconds(5), Duration.ofSeconds(30)), HttpClient.newHttpClient());
        assertThat(everywhere.httpsAddress()).hasValueSatisfying(address -> {
            assertThat(address.getHostString()).isEqualTo("127.0.0.1");
            assertThat(address.getPort()).isEqualTo(8443);
        });
        assertThat(proxy(true).httpsAddress()).isEmpty();
    }
}
