package io.ployer.plugin.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.proxy.ProxyStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.proxy.TlsMode;
import io.ployer.api.container.Endpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ReverseProxy} over Caddy's admin API. Ployer owns one HTTP server block; each application
 * has one route addressed by {@code @id = ployer-route-<app>} (and, when some of its hosts need
 * Caddy's internal CA, one TLS automation policy {@code ployer-tls-<app>}). Upstreams are retried
 * for {@code try-duration}, so a request that lands while the old container drains is retried
 * on the new one instead of failing.
 */
public final class CaddyReverseProxy implements ReverseProxy {
    static final String ROUTE_PREFIX = "ployer-route-";
    static final String TLS_PREFIX = "ployer-tls-";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final CaddySettings settings;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean prepared;

    public CaddyReverseProxy(CaddySettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    private record Answer(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        boolean unknownId() {
            return status == 404 || body.contains("unknown object ID");
        }
    }

    /** Caddy retries late upstreams and matches wildcard hosts; it manages TLS unless configured http-only. */
    @Override
    public java.util.Set<io.ployer.spi.proxy.ProxyCapability> capabilities() {
        return settings.httpOnly()
                ? java.util.EnumSet.of(io.ployer.spi.proxy.ProxyCapability.RETRIES_LATE_UPSTREAM, io.ployer.spi.proxy.ProxyCapability.WILDCARD_HOSTS)
                : java.util.EnumSet.allOf(io.ployer.spi.proxy.ProxyCapability.class);
    }

    @Override
    public void start() {
        lock.lock();
        try {
            ensureServer();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds Ployer's server block (and the TLS app's skeleton) to whatever config Caddy has, keeping
     * the rest. Only the paths Ployer owns are written: a whole-config {@code /load} would also
     * rewrite the admin section and make Caddy restart its admin endpoint mid-request.
     */
    private void ensureServer() {
        ObjectNode server = JSON.objectNode();
        ArrayNode listen = server.putArray("listen");
        listen.add(settings.listenHost() + ":" + settings.httpPort());
        if (!settings.httpOnly()) {
            listen.add(settings.listenHost() + ":" + settings.httpsPort());
        }
        if (settings.httpOnly()) {
            server.putObject("automatic_https").put("disable", true);
        }
        String serverPath = "/config/apps/http/servers/" + settings.serverName();
        JsonNode existing = read(serverPath);
        if (existing instanceof ObjectNode current) {
            server.set("routes", current.get("routes") instanceof ArrayNode routes ? routes : JSON.arrayNode());
            requireOk(call("PATCH", serverPath, server.toString()), "update Ployer's server block");
        } else {
            server.set("routes", JSON.arrayNode());
            ensureObject("/config/apps", "apps");
            ensureObject("/config/apps/http", "http");
            ensureObject("/config/apps/http/servers", "servers");
            requireCreated(call("PUT", serverPath, server.toString()), "add Ployer's server block");
        }
        if (!settings.httpOnly()) {
            // Ports other than 80/443 must be told to Caddy's HTTPS automation.
            requireOk(call(read("/config/apps/http/http_port") == null ? "PUT" : "PATCH", "/config/apps/http/http_port",
                    String.valueOf(settings.httpPort())), "set the HTTP port");
            requireOk(call(read("/config/apps/http/https_port") == null ? "PUT" : "PATCH", "/config/apps/http/https_port",
                    String.valueOf(settings.httpsPort())), "set the HTTPS port");
            ensureObject("/config/apps/tls", "tls");
            ensureObject("/config/apps/tls/automation", "automation");
            if (!(read("/config/apps/tls/automation/policies") instanceof ArrayNode)) {
                requireOk(call("PUT", "/config/apps/tls/automation/policies", "[]"), "prepare TLS policies");
            }
        }
        prepared = true;
    }

    /** Reads a config path; {@code null} when it does not exist. */
    private JsonNode read(String path) {
        Answer answer = call("GET", path, null);
        if (!answer.ok()) {
            return null;
        }
        JsonNode node = parse(answer.body());
        return node == null || node.isNull() ? null : node;
    }

    private void ensureObject(String path, String what) {
        if (read(path) == null) {
            requireCreated(call("PUT", path, "{}"), "create " + what + " in Caddy's config");
        }
    }

    @Override
    public void apply(Route route) {
        if (settings.httpOnly() && route.tls() == TlsMode.INTERNAL) {
            throw new io.ployer.api.PloyerException(io.ployer.api.StandardErrorCode.CONFIGURATION, "the route of "
                    + route.applicationId() + " asks for TLS, but this Caddy proxy is configured http-only and does not manage TLS");
        }
        lock.lock();
        try {
            if (!prepared) {
                ensureServer();
            }
            ObjectNode body = routeJson(route);
            Answer patched = call("PATCH", "/id/" + routeId(route.applicationId()), body.toString());
            if (!patched.ok()) {
                if (!patched.unknownId()) {
                    requireOk(patched, "update the route of " + route.applicationId());
                }
                Answer added = append("/config/apps/http/servers/" + settings.serverName() + "/routes", body);
                if (!added.ok()) {
                    // Someone replaced Caddy's config since we prepared it: prepare again, once.
                    ensureServer();
                    requireOk(append("/config/apps/http/servers/" + settings.serverName() + "/routes", body),
                            "add the route of " + route.applicationId());
                }
            }
            applyTlsPolicy(route);
        } finally {
            lock.unlock();
        }
    }

    private void applyTlsPolicy(Route route) {
        String id = TLS_PREFIX + route.applicationId();
        List<String> internalHosts = settings.httpOnly() || route.tls() == TlsMode.NONE ? List.of()
                : route.hosts().stream().filter(host -> route.tls() == TlsMode.INTERNAL || needsInternalCertificate(host)).toList();
        if (internalHosts.isEmpty()) {
            Answer deleted = call("DELETE", "/id/" + id, null);
            if (!deleted.ok() && !deleted.unknownId()) {
                requireOk(deleted, "remove the TLS policy of " + route.applicationId());
            }
            return;
        }
        ObjectNode policy = JSON.objectNode();
        policy.put("@id", id);
        ArrayNode subjects = policy.putArray("subjects");
        internalHosts.forEach(subjects::add);
        policy.putArray("issuers").addObject().put("module", "internal");
        Answer patched = call("PATCH", "/id/" + id, policy.toString());
        if (!patched.ok()) {
            requireOk(append("/config/apps/tls/automation/policies", policy), "add the TLS policy of " + route.applicationId());
        }
    }

    @Override
    public java.util.Optional<TlsMode> tlsFor(String hostname) {
        if (settings.httpOnly()) {
            return java.util.Optional.of(TlsMode.NONE);
        }
        return java.util.Optional.of(needsInternalCertificate(hostname) ? TlsMode.INTERNAL : TlsMode.AUTO);
    }

    /** Caddy's HTTPS listener: on its listen host, or on 127.0.0.1 when it listens on every interface. */
    @Override
    public java.util.Optional<java.net.InetSocketAddress> httpsAddress() {
        if (settings.httpOnly()) {
            return java.util.Optional.empty();
        }
        String host = settings.listenHost() == null ? "" : settings.listenHost().strip();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        return java.util.Optional.of(java.net.InetSocketAddress.createUnresolved(host, settings.httpsPort()));
    }

    /** Names a public CA cannot certify: local, test and single-label names, and IP addresses. */
    static boolean needsInternalCertificate(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.equals("localhost") || lower.endsWith(".localhost") || lower.endsWith(".test") || lower.endsWith(".local")
                || lower.endsWith(".internal") || lower.endsWith(".example") || lower.endsWith(".invalid")
                || !lower.contains(".") || lower.matches("[0-9.]+") || lower.contains(":");
    }

    private ObjectNode routeJson(Route route) {
        ObjectNode body = JSON.objectNode();
        body.put("@id", routeId(route.applicationId()));
        ArrayNode hosts = body.putArray("match").addObject().putArray("host");
        route.hosts().forEach(hosts::add);
        ObjectNode handler = body.putArray("handle").addObject();
        handler.put("handler", "reverse_proxy");
        ArrayNode upstreams = handler.putArray("upstreams");
        route.upstreams().forEach(upstream -> upstreams.addObject().put("dial", upstream.address()));
        ObjectNode balancing = handler.putObject("load_balancing");
        balancing.put("try_duration", settings.tryDuration().toMillis() + "ms");
        balancing.put("try_interval", "100ms");
        body.put("terminal", true);
        return body;
    }

    static String routeId(String applicationId) {
        return ROUTE_PREFIX + applicationId;
    }

    @Override
    public void remove(String applicationId) {
        lock.lock();
        try {
            for (String id : List.of(routeId(applicationId), TLS_PREFIX + applicationId)) {
                Answer deleted = call("DELETE", "/id/" + id, null);
                if (!deleted.ok() && !deleted.unknownId()) {
                    requireOk(deleted, "remove " + id);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void replaceAll(List<Route> routes) {
        lock.lock();
        try {
            ensureServer();
            Set<String> wanted = new HashSet<>();
            routes.forEach(route -> wanted.add(route.applicationId()));
            // Route to what should serve first, then take away what should not.
            for (Route route : routes) {
                apply(route);
            }
            for (Route existing : routes()) {
                if (!wanted.contains(existing.applicationId())) {
                    remove(existing.applicationId());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Route> routes() {
        Answer answer = call("GET", "/config/apps/http/servers/" + settings.serverName() + "/routes", null);
        if (!answer.ok()) {
            if (answer.status() == 404 || answer.status() == 400) {
                return List.of();
            }
            requireOk(answer, "read the routes");
        }
        JsonNode array = parse(answer.body());
        List<Route> result = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return result;
        }
        for (JsonNode element : array) {
            String id = element.path("@id").asText("");
            if (!id.startsWith(ROUTE_PREFIX)) {
                continue;
            }
            List<String> hosts = new ArrayList<>();
            element.path("match").path(0).path("host").forEach(host -> hosts.add(host.asText()));
            List<Endpoint> upstreams = new ArrayList<>();
            element.path("handle").path(0).path("upstreams").forEach(upstream -> upstreams.add(Endpoint.parse(upstream.path("dial").asText())));
            if (!hosts.isEmpty() && !upstreams.isEmpty()) {
                result.add(new Route(id.substring(ROUTE_PREFIX.length()), hosts, upstreams,
                        settings.httpOnly() ? TlsMode.NONE : TlsMode.AUTO));
            }
        }
        return result;
    }

    @Override
    public ProxyStatus status() {
        try {
            Answer answer = call("GET", "/config/", null);
            if (!answer.ok()) {
                return new ProxyStatus(false, "Caddy answered HTTP " + answer.status(), 0);
            }
            return new ProxyStatus(true, "Caddy admin API at " + settings.adminAddress(), routes().size());
        } catch (PloyerException e) {
            return new ProxyStatus(false, e.getMessage(), 0);
        }
    }

    private Answer call(String method, String path, String body) {
        try {
            return send(method, path, body);
        } catch (IOException first) {
            // Caddy closes idle admin connections when it applies a config change; a pooled connection may be
            // stale. Idempotent calls are sent once more on a fresh connection; POST (append) is not repeated here.
            if (method.equals("POST")) {
                throw unreachable(first);
            }
            try {
                return send(method, path, body);
            } catch (IOException second) {
                throw unreachable(second);
            }
        }
    }

    private Answer send(String method, String path, String body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.adminAddress().resolve(path))
                .timeout(settings.requestTimeout())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body() == null ? "" : response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "interrupted while calling Caddy");
        }
    }

    private PloyerException unreachable(IOException e) {
        // In words, not the exception's class: this message reaches health answers and failure reasons.
        String why = e instanceof java.net.ConnectException ? "the connection was refused (is Caddy running?)"
                : e instanceof java.net.http.HttpTimeoutException ? "it did not answer in time"
                : "the connection failed";
        return new PloyerException(StandardErrorCode.PROXY_FAILURE, "Caddy's admin API at " + settings.adminAddress()
                + " does not answer: " + why, e);
    }

    /** Appends a route (POST), checking by its id whether a lost answer had in fact added it. */
    private Answer append(String path, ObjectNode element) {
        try {
            return send("POST", path, element.toString());
        } catch (IOException lost) {
            String id = element.path("@id").asText();
            if (read("/id/" + id) != null) {
                return new Answer(200, "");
            }
            try {
                return send("POST", path, element.toString());
            } catch (IOException again) {
                throw unreachable(again);
            }
        }
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.PROXY_FAILURE, "Caddy answered something that is not JSON", e);
        }
    }

    /**
     * A PUT creates and fails when the key exists: when Caddy closed the connection mid-change (it does on
     * config changes) and the PUT was sent again, the first one created it, and "already exists" is success.
     */
    private static void requireCreated(Answer answer, String what) {
        if (!answer.ok() && answer.body().contains("key already exists")) {
            return;
        }
        requireOk(answer, what);
    }

    private static void requireOk(Answer answer, String what) {
        if (!answer.ok()) {
            throw new PloyerException(StandardErrorCode.PROXY_FAILURE, "Caddy refused to " + what + ": HTTP " + answer.status()
                    + " " + answer.body().strip());
        }
    }

    @Override
    public void close() {
        // The HTTP client belongs to the engine (or is garbage-collected); Caddy keeps serving the routes.
    }

    /** For diagnostics. */
    public URI adminAddress() {
        return settings.adminAddress();
    }
}
