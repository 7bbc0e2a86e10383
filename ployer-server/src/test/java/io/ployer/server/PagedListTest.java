package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.application.ApplicationSpec;
import io.ployer.server.http.ServerSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paged lists and gzip over real HTTP: the body stays a JSON array, the total and the neighbouring
 * pages travel in headers (also on answers served from the response cache), bad paging parameters
 * are a 400 naming the parameter, and large answers are gzip-compressed for clients that ask.
 */
class PagedListTest {
    @TempDir
    Path data;

    private static ServerSettings cached() {
        return new ServerSettings(100_000, List.of(), Duration.ofMinutes(5));
    }

    private static HttpResponse<byte[]> get(ServerFixture server, String path, String token, String acceptEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + token);
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return server.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void createApplications(ServerFixture server, int count) {
        for (int i = 0; i < count; i++) {
            server.ployer.applications().create(ApplicationSpec.named("app-%02d".formatted(i)).withGit("https://git.example.com/app.git", "main"));
        }
    }

    @Test
    void applicationsArePagedWithATotalAndLinksAlsoFromTheCache() throws Exception {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cached())) {
            String token = server.login("ada@example.com", "correct horse");
            createApplications(server, 5);
            for (int round = 0; round < 2; round++) { // the second round is answered from the cache
                HttpResponse<byte[]> page = get(server, "/applications?offset=2&limit=2", token, null);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(new String(page.body(), StandardCharsets.UTF_8)).startsWith("[").contains("\"app-02\"").contains("\"app-03\"")
                        .doesNotContain("\"app-01\"").doesNotContain("\"app-04\"");
                assertThat(page.headers().firstValue("X-Total-Count")).hasValue("5");
                assertThat(page.headers().firstValue("Link")).hasValue(
                        "</api/v1/applications?offset=4&limit=2>; rel=\"next\", </api/v1/applications?offset=0&limit=2>; rel=\"prev\"");
            }
            assertThat(server.server.cacheStatistics().hits()).isEqualTo(1);

            HttpResponse<byte[]> all = get(server, "/applications", token, null);
            assertThat(server.json.readTree(all.body())).hasSize(5);
            assertThat(all.headers().firstValue("X-Total-Count")).hasValue("5");
            assertThat(all.headers().firstValue("Link")).isEmpty();

            HttpResponse<byte[]> last = get(server, "/applications?limit=2&offset=4", token, null);
            assertThat(server.json.readTree(last.body())).hasSize(1);
            assertThat(last.headers().firstValue("Link")).hasValue("</api/v1/applications?offset=2&limit=2>; rel=\"prev\"");
        }
    }

    @Test
    void theDefaultPageIsOneHundred() throws Exception {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cached())) {
            String token = server.login("ada@example.com", "correct horse");
            createApplications(server, 101);
            HttpResponse<byte[]> first = get(server, "/applications", token, null);
            assertThat(server.json.readTree(first.body())).hasSize(100);
            assertThat(first.headers().firstValue("X-Total-Count")).hasValue("101");
            assertThat(first.headers().firstValue("Link")).hasValue("</api/v1/applications?offset=100&limit=100>; rel=\"next\"");
        }
    }

    @Test
    void badPagingParametersAreA400NamingTheParameter() {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cached())) {
            String token = server.login("ada@example.com", "correct horse");
            for (String list : List.of("/applications", "/deployments")) {
                for (String query : List.of("limit=0", "limit=501", "limit=ten", "limit=", "offset=-1", "offset=x")) {
                    ServerFixture.Answer answer = server.get(list + "?" + query, token);
                    assertThat(answer.status()).as(list + "?" + query).isEqualTo(400);
                    assertThat(answer.errorField()).isEqualTo(query.substring(0, query.indexOf('=')));
                    assertThat(answer.json().path("error").path("message").asText()).contains("within");
                }
            }
            ServerFixture.Answer deployments = server.get("/deployments?limit=500", token);
            assertThat(deployments.status()).isEqualTo(200);
        }
    }

    @Test
    void theDeploymentListCarriesItsTotalAndKeepsItsFilterInTheLinks() throws Exception {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cached())) {
            String token = server.login("ada@example.com", "correct horse");
            HttpResponse<byte[]> none = get(server, "/deployments?app_id=nothing&status=failed&offset=1", token, null);
            assertThat(none.statusCode()).isEqualTo(200);
            assertThat(none.headers().firstValue("X-Total-Count")).hasValue("0");
            assertThat(none.headers().firstValue("Link")).hasValue("</api/v1/deployments?app_id=nothing&status=failed&offset=0&limit=100>; rel=\"prev\"");
        }
    }

    @Test
    void theOpenApiDocumentDescribesThePagingParametersAndHeaders() {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cached())) {
            var document = server.get("/openapi.json", null).json();
            for (String list : List.of("/applications", "/deployments")) {
                var operation = document.path("paths").path(list).path("get");
                assertThat(operation.path("responses").path("200").path("headers").has("X-Total-Count")).as(list).isTrue();
                assertThat(operation.path("responses").path("200").path("headers").has("Link")).as(list).isTrue();
                assertThat(operation.path("parameters").findValuesAsText("name")).as(list).contains("offset", "limit");
            }
        }
    }

    @Test
    void largeAnswersAreGzippedForClientsThatAskAlsoFromTheCache() throws Exception {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cached())) {
            String token = server.login("ada@example.com", "correct horse");
            createApplications(server, 20);
            HttpResponse<byte[]> plain = get(server, "/applications", token, null);
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(plain.headers().allValues("Vary")).contains("Accept-Encoding");
            assertThat(plain.body().length).isGreaterThan(1024);
            String identity = new String(plain.body(), StandardCharsets.UTF_8);

            long hits = server.server.cacheStatistics().hits();
            for (int round = 0; round < 2; round++) {
                HttpResponse<byte[]> zipped = get(server, "/applications", token, "gzip, deflate");
                assertThat(zipped.statusCode()).isEqualTo(200);
                assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
                assertThat(zipped.headers().allValues("Vary")).contains("Accept-Encoding");
                assertThat(zipped.headers().firstValue("X-Total-Count")).hasValue("20");
                assertThat(zipped.body().length).isLessThan(plain.body().length / 2);
                assertThat(gunzip(zipped.body())).isEqualTo(identity);
            }
            assertThat(server.server.cacheStatistics().hits()).isEqualTo(hits + 2);

            // Small answers go out as they are.
            HttpResponse<byte[]> small = get(server, "/applications?limit=1", token, "gzip");
            assertThat(small.body().length).isLessThan(1024);
            assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(server.json.readTree(small.body())).hasSize(1);
        }
    }
}
