package io.ployer.testkit.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.proxy.ProxyCapability;
import io.ployer.spi.proxy.ProxyStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.proxy.TlsMode;
import io.ployer.api.container.Endpoint;
import io.ployer.testkit.FreePorts;
import io.ployer.testkit.HostHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReverseProxy} plugin must do, proven against the real proxy. Extend it, say how
 * to make the proxy and where it serves plain HTTP. The core tests run for every proxy; each
 * {@link ProxyCapability} the proxy declares in {@link ReverseProxy#capabilities()} is tested, and each
 * one it does not declare is checked to fail cleanly. Routes are applied with {@link TlsMode#AUTO} (what
 * the engine sends) as well as {@link TlsMode#NONE}: the proxy under test serves AUTO routes over plain
 * HTTP on {@link #proxyHttpPort()} (configure it so: a proxy that manages TLS runs http-only here, and
 * {@link #tlsProxy()} gives the kit one with TLS). Requests are sent with {@link HostHttp}, so the test JVM
 * needs no {@code jdk.httpclient.allowRestrictedHeaders} flag.
 */
public abstract class ReverseProxyCompatibilityKit {
    private final List<HttpServer> backends = new ArrayList<>();

    /** A started proxy serving plain HTTP on {@link #proxyHttpPort()}. */
    protected abstract ReverseProxy proxy();

    /** The proxy's plain-HTTP port on 127.0.0.1. */
    protected abstract int proxyHttpPort();

    /** A proxy whose control endpoint does not answer (for the status check). */
    protected abstract ReverseProxy unreachableProxy();

    /** A proxy that serves TLS, and its HTTPS port: needed only when the proxy declares {@link ProxyCapability#MANAGES_TLS}. */
    public record TlsProxy(ReverseProxy proxy, int httpsPort) {
    }

    /** The proxy with TLS switched on; override when {@link ProxyCapability#MANAGES_TLS} is declared. */
    protected TlsProxy tlsProxy() {
        throw new UnsupportedOperationException("the kit needs tlsProxy() for a proxy that declares MANAGES_TLS");
    }

    private boolean declares(ProxyCapability capability) {
        return proxy().capabilities().contains(capability);
    }

    @AfterEach
    void stopBackends() {
        backends.forEach(server -> server.stop(0));
        backends.clear();
    }

    /** A backend on a free loopback port that answers {@code name} to every request. */
    protected Endpoint backend(String name) {
        return backendOn(FreePorts.next(), name);
    }

    /** A backend on the given loopback port. */
    protected Endpoint backendOn(int port, String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            server.createContext("/", exchange -> {
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
            server.start();
            backends.add(server);
            return new Endpoint("127.0.0.1", port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET / through the proxy with the given Host; returns status and body. */
    protected HostHttp.Response get(String host) {
        return HostHttp.get(proxyHttpPort(), host, "/");
    }

    private static Route route(String app, String host, Endpoint upstream) {
        return new Route(app, List.of(host), List.of(upstream), TlsMode.NONE);
    }

    /** A route as the engine sends it: TLS mode AUTO. */
    private static Route autoRoute(String app, String host, Endpoint upstream) {
        return new Route(app, List.of(host), List.of(upstream), TlsMode.AUTO);
    }

    /** A clean refusal: a CONFIGURATION or PROXY_FAILURE PloyerException, or UnsupportedOperationException, with a sentence. */
    private static void assertCleanRefusal(Throwable thrown, String... mentions) {
        assertThat(thrown).isInstanceOfAny(PloyerException.class, UnsupportedOperationException.class);
        if (thrown instanceof PloyerException ployer) {
            assertThat(ployer.code()).isIn(StandardErrorCode.CONFIGURATION, StandardErrorCode.PROXY_FAILURE);
        }
        assertThat(thrown.getMessage()).isNotBlank();
        for (String mention : mentions) {
            assertThat(thrown.getMessage()).contains(mention);
        }
    }

    @Test
    void routesEachHostToItsUpstream() {
        ReverseProxy proxy = proxy();
        proxy.apply(route("kit-a", "a.kit.test", backend("A")));
        proxy.apply(autoRoute("kit-b", "b.kit.test", backend("B")));
        assertThat(get("a.kit.test").body()).isEqualTo("A");
        assertThat(get("b.kit.test").body()).isEqualTo("B");
    }

    @Test
    void aStacksServiceRouteLivesBesideItsApplicationsRouteAndGoesAlone() {
        // A Compose stack routes its further services as "<application id>~<service>".
        ReverseProxy proxy = proxy();
        proxy.apply(autoRoute("kit-stack", "web.kit.test", backend("W")));
        proxy.apply(autoRoute("kit-stack~admin", "admin.kit.test", backend("ADM")));
        assertThat(get("web.kit.test").body()).isEqualTo("W");
        assertThat(get("admin.kit.test").body()).isEqualTo("ADM");
        assertThat(proxy.routes()).extracting(Route::applicationId).contains("kit-stack", "kit-stack~admin");
        proxy.remove("kit-stack~admin");
        assertThat(proxy.routes()).extracting(Route::applicationId).contains("kit-stack").doesNotContain("kit-stack~admin");
        assertThat(get("web.kit.test").body()).isEqualTo("W");
    }

    @Test
    void applyingTheSameRouteTwiceKeepsOneRoute() {
        ReverseProxy proxy = proxy();
        Route route = autoRoute("kit-twice", "twice.kit.test", backend("T"));
        proxy.apply(route);
        proxy.apply(route);
        assertThat(proxy.routes()).filteredOn(existing -> existing.applicationId().equals("kit-twice")).hasSize(1);
        assertThat(get("twice.kit.test").body()).isEqualTo("T");
    }

    @Test
    void switchingUpstreamsUnderLoadFailsNoRequest() throws Exception {
        ReverseProxy proxy = proxy();
        Endpoint first = backend("one");
        Endpoint second = backend("two");
        // The engine sends AUTO routes: the TLS mode is set before the load, the switches under load change the upstream only.
        proxy.apply(autoRoute("kit-switch", "switch.kit.test", first));
        assertThat(get("switch.kit.test").body()).isEqualTo("one");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (running.get() && System.nanoTime() < deadline && requests.get() < 20_000) {
                HostHttp.Response response;
                try {
                    response = get("switch.kit.test");
                } catch (UncheckedIOException closedBeforeAnAnswer) {
                    // A connection the proxy closed before any byte of an answer (Caddy 2.6 does this, rarely, to a
                    // connection it accepted just as a config change replaced its server) is sent again once, as HTTP
                    // clients do with an idempotent request (RFC 9110, 9.2.2); failing twice, or any answer but the
                    // two versions, is a failed request.
                    try {
                        response = get("switch.kit.test");
                    } catch (UncheckedIOException e) {
                        failures.incrementAndGet();
                        continue;
                    }
                } finally {
                    requests.incrementAndGet();
                }
                if (response.status() != 200 || !(response.body().equals("one") || response.body().equals("two"))) {
                    failures.incrementAndGet();
                }
            }
        });
        for (int i = 0; i < 5; i++) {
            proxy.apply(autoRoute("kit-switch", "switch.kit.test", i % 2 == 0 ? second : first));
        }
        running.set(false);
        load.get();
        assertThat(requests.get()).isGreaterThan(0);
        assertThat(failures.get()).isZero();
        assertThat(get("switch.kit.test").body()).isEqualTo("two");
    }

    @Test
    void retriesAnUpstreamThatStartsShortlyAfterTheSwitch() throws Exception {
        assumeTrue(declares(ProxyCapability.RETRIES_LATE_UPSTREAM), "the proxy does not declare RETRIES_LATE_UPSTREAM");
        ReverseProxy proxy = proxy();
        int port = FreePorts.next();
        proxy.apply(route("kit-late", "late.kit.test", new Endpoint("127.0.0.1", port)));
        CompletableFuture<Void> starter = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            backendOn(port, "late");
        });
        HostHttp.Response response = get("late.kit.test");
        starter.get();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("late");
    }

    @Test
    void withoutLateUpstreamRetriesAnUpstreamThatIsDownIsAnErrorStatusAndOtherRoutesStillServe() {
        assumeFalse(declares(ProxyCapability.RETRIES_LATE_UPSTREAM), "the proxy declares RETRIES_LATE_UPSTREAM");
        ReverseProxy proxy = proxy();
        proxy.apply(route("kit-down", "down.kit.test", new Endpoint("127.0.0.1", FreePorts.next())));
        proxy.apply(route("kit-up", "up.kit.test", backend("U")));
        assertThat(get("down.kit.test").status()).isBetween(500, 599);
        assertThat(get("up.kit.test").body()).isEqualTo("U");
    }

    @Test
    void servesWildcardHostsWhenDeclared() {
        assumeTrue(declares(ProxyCapability.WILDCARD_HOSTS), "the proxy does not declare WILDCARD_HOSTS");
        ReverseProxy proxy = proxy();
        proxy.apply(autoRoute("kit-wild", "*.wild.kit.test", backend("W")));
        assertThat(get("one.wild.kit.test").body()).isEqualTo("W");
        assertThat(get("two.wild.kit.test").body()).isEqualTo("W");
        assertThat(get("wild.kit.test").body()).isNotEqualTo("W");
        proxy.remove("kit-wild");
        assertThat(get("one.wild.kit.test").body()).isNotEqualTo("W");
    }

    @Test
    void refusesWildcardHostsCleanlyWhenNotDeclared() {
        assumeFalse(declares(ProxyCapability.WILDCARD_HOSTS), "the proxy declares WILDCARD_HOSTS");
        ReverseProxy proxy = proxy();
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> proxy.apply(autoRoute("kit-wild-refused", "*.refused.kit.test", backend("W"))));
        assertCleanRefusal(thrown, "*.refused.kit.test");
        assertThat(proxy.routes()).extracting(Route::applicationId).doesNotContain("kit-wild-refused");
    }

    @Test
    void servesInternalTlsWhenDeclared() throws Exception {
        assumeTrue(declares(ProxyCapability.MANAGES_TLS) || tlsProxyDeclaresTls(), "the proxy does not declare MANAGES_TLS");
        TlsProxy tls = tlsProxy();
        assertThat(tls.proxy().capabilities()).contains(ProxyCapability.MANAGES_TLS);
        tls.proxy().apply(new Route("kit-tls", List.of("kit-tls.localhost"), List.of(backend("TLS")), TlsMode.INTERNAL));
        // the proxy obtains the certificate in the background: the first handshakes may fail
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try {
                HostHttp.Response response = HostHttp.getTls(tls.httpsPort(), "kit-tls.localhost", "/");
                if (response.status() == 200) {
                    assertThat(response.body()).isEqualTo("TLS");
                    break;
                }
            } catch (UncheckedIOException notYet) {
                // certificate not issued yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the proxy never served kit-tls.localhost over TLS on port " + tls.httpsPort());
            }
            Thread.sleep(250);
        }
        tls.proxy().remove("kit-tls");
    }

    private boolean tlsProxyDeclaresTls() {
        try {
            return tlsProxy().proxy().capabilities().contains(ProxyCapability.MANAGES_TLS);
        } catch (UnsupportedOperationException none) {
            return false;
        }
    }

    @Test
    void withoutTlsAutoRoutesArePlainHttpAndInternalTlsIsRefusedCleanly() {
        assumeFalse(declares(ProxyCapability.MANAGES_TLS), "the proxy declares MANAGES_TLS");
        ReverseProxy proxy = proxy();
        proxy.apply(autoRoute("kit-auto", "kit-auto.localhost", backend("AUTO")));
        assertThat(get("kit-auto.localhost").body()).isEqualTo("AUTO");
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> proxy.apply(
                new Route("kit-internal", List.of("kit-internal.localhost"), List.of(backend("I")), TlsMode.INTERNAL)));
        assertCleanRefusal(thrown);
        assertThat(proxy.routes()).extracting(Route::applicationId).doesNotContain("kit-internal");
    }

    @Test
    void startingAgainKeepsTheRoutes() {
        ReverseProxy proxy = proxy();
        proxy.apply(autoRoute("kit-restart", "restart.kit.test", backend("R")));
        proxy.start();
        assertThat(proxy.routes()).extracting(Route::applicationId).contains("kit-restart");
        assertThat(get("restart.kit.test").body()).isEqualTo("R");
    }

    @Test
    void removingARouteLeavesTheOthersAndIsIdempotent() {
        ReverseProxy proxy = proxy();
        proxy.apply(route("kit-gone", "gone.kit.test", backend("G")));
        proxy.apply(autoRoute("kit-kept", "kept.kit.test", backend("K")));
        proxy.remove("kit-gone");
        proxy.remove("kit-gone");
        proxy.remove("kit-never-existed");
        assertThat(get("gone.kit.test").body()).isNotEqualTo("G");
        assertThat(get("kept.kit.test").body()).isEqualTo("K");
        assertThat(proxy.routes()).extracting(Route::applicationId).contains("kit-kept").doesNotContain("kit-gone");
    }

    @Test
    void replaceAllMakesTheRoutesExactlyTheGivenSet() {
        ReverseProxy proxy = proxy();
        proxy.apply(route("kit-stale", "stale.kit.test", backend("S")));
        Endpoint fresh = backend("F");
        proxy.replaceAll(List.of(autoRoute("kit-fresh", "fresh.kit.test", fresh)));
        assertThat(proxy.routes()).extracting(Route::applicationId).contains("kit-fresh").doesNotContain("kit-stale");
        assertThat(proxy.routes()).filteredOn(existing -> existing.applicationId().equals("kit-fresh"))
                .singleElement().satisfies(existing -> {
                    assertThat(existing.hosts()).containsExactly("fresh.kit.test");
                    assertThat(existing.upstreams()).containsExactly(fresh);
                });
        assertThat(get("fresh.kit.test").body()).isEqualTo("F");
        assertThat(get("stale.kit.test").body()).isNotEqualTo("S");
    }

    @Test
    void reportsItsStatusWithoutThrowing() {
        ReverseProxy proxy = proxy();
        proxy.apply(route("kit-status", "status.kit.test", backend("S")));
        ProxyStatus status = proxy.status();
        assertThat(status.reachable()).isTrue();
        assertThat(status.routes()).isGreaterThanOrEqualTo(1);
        ProxyStatus down = unreachableProxy().status();
        assertThat(down.reachable()).isFalse();
        assertThat(down.detail()).isNotBlank();
    }
}
