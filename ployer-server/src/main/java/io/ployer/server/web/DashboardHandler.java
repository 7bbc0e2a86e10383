package io.ployer.server.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web dashboard: a page at {@code /} and its ES modules and style sheet under
 * {@code /assets/<version>/}, all read once from the jar. The dashboard is a client of the public
 * REST API and WebSocket only; this handler serves bytes and nothing else.
 *
 * <p>The version in asset URLs is a digest of every asset, so assets are cached for a year
 * ({@code immutable}) and a new jar changes their URLs; the page itself is revalidated every time
 * ({@code no-cache} with an ETag). The page gets its own Content-Security-Policy: scripts, styles and
 * connections (the API and its WebSocket) from this origin only, no inline script or style, no frames.
 */
public final class DashboardHandler implements HttpHandler {
    /** The policy of every dashboard response. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** The files served under {@code /assets/<version>/}, in the jar beside this class. */
    public static final List<String> ASSETS = List.of("app.js", "api.js", "ui.js", "pages.js", "app-pages.js", "team-pages.js", "service-pages.js", "dashboard.css");
    private static final String RESOURCES = "/io/ployer/server/web/";
    private static final HttpString CONTENT_SECURITY_POLICY_HEADER = new HttpString("Content-Security-Policy");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8");

    private final Map<String, byte[]> assets = new LinkedHashMap<>();
    private final String version;
    private final byte[] page;
    private final String pageTag;

    /** Reads the dashboard from the jar. */
    public DashboardHandler() {
        MessageDigest digest = sha256();
        for (String name : ASSETS) {
            byte[] bytes = read(name);
            assets.put(name, bytes);
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update(bytes);
        }
        version = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        page = new String(read("index.html"), StandardCharsets.UTF_8).replace("{{version}}", version).getBytes(StandardCharsets.UTF_8);
        pageTag = "\"" + HexFormat.of().formatHex(sha256().digest(page)).substring(0, 16) + "\"";
    }

    /** The digest in asset URLs. */
    public String version() {
        return version;
    }

    /** Whether this handler serves {@code path} (the page and its assets; everything else is the API's). */
    public static boolean serves(String path) {
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/assets/");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String method = exchange.getRequestMethod().toString();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            exchange.setStatusCode(405);
            exchange.endExchange();
            return;
        }
        String path = exchange.getRequestPath();
        if (path.equals("/") || path.equals("/index.html")) {
            send(exchange, page, TYPES.get("html"), "no-cache", pageTag);
            return;
        }
        String prefix = "/assets/" + version + "/";
        byte[] asset = path.startsWith(prefix) ? assets.get(path.substring(prefix.length())) : null;
        if (asset == null) {
            // An old version's URL or an unknown file: not cached, so a reload after an upgrade recovers.
            exchange.setStatusCode(404);
            exchange.getResponseHeaders().put(CONTENT_SECURITY_POLICY_HEADER, CONTENT_SECURITY_POLICY);
            exchange.endExchange();
            return;
        }
        String name = path.substring(prefix.length());
        send(exchange, asset, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), "public, max-age=31536000, immutable", null);
    }

    private static void send(HttpServerExchange exchange, byte[] body, String type, String cacheControl, String tag) {
        var headers = exchange.getResponseHeaders();
        headers.put(CONTENT_SECURITY_POLICY_HEADER, CONTENT_SECURITY_POLICY)
                .put(Headers.CACHE_CONTROL, cacheControl)
                .put(Headers.CONTENT_TYPE, type);
        if (tag != null) {
            headers.put(Headers.ETAG, tag);
            if (tag.equals(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH))) {
                exchange.setStatusCode(304);
                exchange.endExchange();
                return;
            }
        }
        headers.put(Headers.CONTENT_LENGTH, body.length);
        if (exchange.getRequestMethod().toString().equals("HEAD")) {
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardHandler.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
