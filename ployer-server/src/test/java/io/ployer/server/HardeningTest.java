package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.server.ServerFixture.Answer;
import io.ployer.server.http.ServerSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limit, CORS, security headers and graceful shutdown over real HTTP. */
class HardeningTest {
    @TempDir
    Path data;

    @Test
    void aClientOverItsRateLimitGets429AsJson() {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), new ServerSettings(20, List.of()))) {
            List<Integer> statuses = new ArrayList<>();
            Answer limited = null;
            for (int i = 0; i < 40; i++) {
                Answer answer = server.get("/health", null);
                statuses.add(answer.status());
                if (answer.status() == 429) {
                    limited = answer;
                }
            }
            assertThat(statuses.subList(0, 20)).containsOnly(200);
            // The bucket refills one token every 3 s, so on a slow machine an odd request past the
            // twentieth may pass; most must not, and the refusal is the JSON 429.
            assertThat(statuses.subList(20, 40)).isSubsetOf(200, 429);
            assertThat(statuses.subList(20, 40).stream().filter(status -> status == 429).count()).isGreaterThanOrEqualTo(10);
            assertThat(limited.errorCode()).isEqualTo("RATE_LIMITED");
        }
    }

    @Test
    void answersPreflightsOnlyForConfiguredOriginsAndSetsSecurityHeaders() throws Exception {
        try (ServerFixture server = new ServerFixture(data)) {
            HttpResponse<String> allowed = server.client.send(HttpRequest.newBuilder(server.uri("/applications"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://dashboard.example.com")
                    .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.statusCode()).isEqualTo(204);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://dashboard.example.com");
            // a cross-origin client reads the paging headers of a list
            String token = server.login("admin@example.com", "admin-password");
            HttpResponse<String> list = server.client.send(HttpRequest.newBuilder(server.uri("/applications"))
                    .header("Origin", "https://dashboard.example.com").header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(list.headers().firstValue("X-Total-Count")).isPresent();
            assertThat(list.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
                    .contains("X-Total-Count").contains("Link");
            HttpResponse<String> foreign = server.client.send(HttpRequest.newBuilder(server.uri("/health"))
                    .header("Origin", "https://evil.example.com").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(foreign.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(foreign.headers().firstValue("X-Frame-Options")).contains("DENY");
            assertThat(foreign.headers().firstValue("Content-Security-Policy")).isPresent();
        }
    }

    @Test
    void optionsWithoutAnOriginListsTheAllowedMethods() throws Exception {
        // RESTEasy's own OPTIONS answer is a plain string: its writer must stay registered.
        try (ServerFixture server = new ServerFixture(data)) {
            HttpResponse<String> options = server.client.send(HttpRequest.newBuilder(server.uri("/applications"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(options.statusCode()).isEqualTo(200);
            assertThat(options.headers().firstValue("Allow").orElse("")).contains("GET").contains("POST");
        }
    }

    @Test
    void shutdownLetsInFlightRequestsFinishAndRefusesNewOnes() throws Exception {
        ServerFixture server = new ServerFixture(data);
        String token = server.login("ada@example.com", "correct horse");
        // A login takes a while (argon2id): it is in flight when the shutdown starts.
        CompletableFuture<HttpResponse<String>> inFlight = server.client.sendAsync(HttpRequest.newBuilder(server.uri("/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"ada@example.com\",\"password\":\"correct horse\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(20);
        server.close();
        assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(server.ployer.isRunning()).isFalse();
        CompletableFuture<HttpResponse<String>> late = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.server.port() + "/api/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(late).failsWithin(java.time.Duration.ofSeconds(10));
        assertThat(token).isNotBlank();
    }
}
