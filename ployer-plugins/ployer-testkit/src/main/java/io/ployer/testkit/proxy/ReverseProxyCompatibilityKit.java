package io.ployer.testkit.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ployer.spi.proxy.ProxyStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.proxy.TlsMode;
import io.ployer.api.container.Endpoint;
import io.ployer.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * to make the proxy and where it serves plain HTTP. Requests carry a {@code Host} header, so the
 * JVM needs {@code -Djdk.httpclient.allowRestrictedHeaders=host}.
 */
public abstract class ReverseProxyCompatibilityKit {
    private final List<HttpServer> backends = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A started proxy serving plain HTTP on {@link #proxyHttpPort()}. */
    protected abstract ReverseProxy proxy();

    /** The proxy's plain-HTTP port on 127.0.0.1. */
    protected abstract int proxyHttpPort();

    /** A proxy whose control endpoint does not answer (for the status check). */
    protected abstract ReverseProxy unreachableProxy();

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
    protected HttpResponse<String> get(String host) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyHttpPort() + "/"))
                    .header("Host", host).timeout(Duration.ofSeconds(15)).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Route route(String app, String host, Endpoint upstream) {
        return new Route(app, List.of(host), List.of(upstream), TlsMode.NONE);
    }

    @Test
    void routesEachHostToItsUpstream() {
        ReverseProxy proxy = proxy();
        proxy.apply(route("kit-a", "a.kit.test", backend("A")));
        proxy.apply(route("kit-b", "b.kit.test", backend("B")));
        assertThat(get("a.kit.test").body()).isEqualTo("A");
        assertThat(get("b.kit.test").body()).isEqualTo("B");
    }

    @Test
    void applyingTheSameRouteTwiceKeepsOneRoute() {
        ReverseProxy proxy = proxy();
        Route route = route("kit-twice", "twice.kit.test", backend("T"));
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
        proxy.apply(route("kit-switch", "switch.kit.test", first));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (running.get() && System.nanoTime() < deadline && requests.get() < 20_000) {
                HttpResponse<String> response = get("switch.kit.test");
                requests.incrementAndGet();
                if (response.statusCode() != 200 || !(response.body().equals("one") || response.body().equals("two"))) {
                    failures.incrementAndGet();
                }
            }
        });
        for (int i = 0; i < 5; i++) {
            proxy.apply(route("kit-switch", "switch.kit.test", i % 2 == 0 ? second : first));
        }
        running.set(false);
        load.get();
        assertThat(requests.get()).isGreaterThan(0);
        assertThat(failures.get()).isZero();
        assertThat(get("switch.kit.test").body()).isEqualTo("two");
    }

    @Test
    void retriesAnUpstreamThatStartsShortlyAfterTheSwitch() throws Exception {
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
        HttpResponse<String> response = get("late.kit.test");
        starter.get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("late");
    }

    @Test
    void removingARouteLeavesTheOthersAndIsIdempotent() {
        ReverseProxy proxy = proxy();
        proxy.apply(route("kit-gone", "gone.kit.test", backend("G")));
        proxy.apply(route("kit-kept", "kept.kit.test", backend("K")));
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
        proxy.replaceAll(List.of(route("kit-fresh", "fresh.kit.test", fresh)));
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
