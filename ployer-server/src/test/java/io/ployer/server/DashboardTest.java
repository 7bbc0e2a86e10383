package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's page and assets as the server serves them: types, caching, policy, size. */
class DashboardTest {
    private static final Pattern ASSET = Pattern.compile("/assets/([0-9a-f]{16})/(app\\.js|dashboard\\.css)");
    /** The issue's budget for everything the browser downloads as script and style. */
    private static final long BUDGET_GZIPPED = 150 * 1024;

    @TempDir
    Path data;

    private HttpResponse<byte[]> fetch(ServerFixture server, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.port() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return server.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void thePageComesWithItsOwnPolicyAndIsRevalidated() throws Exception {
        try (ServerFixture server = new ServerFixture(data)) {
            HttpResponse<byte[]> page = fetch(server, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                    "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
            assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            String html = new String(page.body(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(html).doesNotContain("{{version}}", "<style", "style=", "onclick", "http://", "https://");
            assertThat(html).containsPattern("<script type=\"module\" src=\"/assets/[0-9a-f]{16}/app.js\"></script>");
            String tag = page.headers().firstValue("ETag").orElseThrow();
            assertThat(fetch(server, "/", "If-None-Match", tag).statusCode()).isEqualTo(304);
            assertThat(fetch(server, "/index.html").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void assetsHaveTheirTypesAreImmutableAndStayWithinTheBudget() throws Exception {
        try (ServerFixture server = new ServerFixture(data)) {
            String html = new String(fetch(server, "/").body(), java.nio.charset.StandardCharsets.UTF_8);
            Matcher script = ASSET.matcher(html);
            assertThat(script.find()).isTrue();
            String version = script.group(1);
            long gzipped = 0;
            for (String name : io.ployer.server.web.DashboardHandler.ASSETS) {
                HttpResponse<byte[]> asset = fetch(server, "/assets/" + version + "/" + name, "Accept-Encoding", "gzip");
                assertThat(asset.statusCode()).as(name).isEqualTo(200);
                assertThat(asset.headers().firstValue("Content-Type")).as(name)
                        .hasValue(name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
                assertThat(asset.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
                assertThat(asset.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
                boolean compressed = asset.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent();
                byte[] plain = compressed ? new GZIPInputStream(new java.io.ByteArrayInputStream(asset.body())).readAllBytes() : asset.body();
                String text = new String(plain, java.nio.charset.StandardCharsets.UTF_8);
                // Everything comes from this origin: no CDN, no external font, no inline HTML.
                assertThat(text).as(name).doesNotContain("innerHTML", "eval(", "@import", "url(", "new Function")
                        .doesNotContainPattern("(from|import)\\s*\\(?\\s*['\"](https?:)?//");
                gzipped += compressed ? asset.body().length : plain.length;
            }
            assertThat(gzipped).isLessThan(BUDGET_GZIPPED);
            System.out.println("[dashboard] JS + CSS as served (gzip where larger than 1 KiB): " + gzipped + " bytes");
            HttpResponse<byte[]> stale = fetch(server, "/assets/0000000000000000/app.js");
            assertThat(stale.statusCode()).isEqualTo(404);
            assertThat(stale.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(fetch(server, "/assets/" + version + "/../index.html").statusCode()).isIn(400, 404);
        }
    }

    @Test
    void theApiKeepsItsOwnStricterPolicyAndErrors() throws Exception {
        try (ServerFixture server = new ServerFixture(data)) {
            HttpResponse<byte[]> api = fetch(server, "/api/v1/health");
            assertThat(api.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; frame-ancestors 'none'");
            assertThat(api.headers().firstValue("Cache-Control")).hasValue("no-store");
            HttpResponse<byte[]> post = server.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.port() + "/"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }
}
