package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.application.ApplicationSpec;
import io.ployer.server.ServerFixture.Answer;
import io.ployer.server.http.ResponseCache.Statistics;
import io.ployer.server.http.ServerSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response cache in front of RESTEasy, over real HTTP on a real SQLite file: repeated reads
 * are answered from memory, and no write, credential change or other caller ever sees a stale or
 * foreign answer.
 */
class ResponseCacheTest {
    private static final String APP = "{\"name\":\"%s\",\"build_strategy\":\"image\",\"build_config\":{\"image\":\"ployer/busybox:latest\"}}";

    @TempDir
    Path data;

    private static ServerSettings cacheFor(Duration ttl) {
        return new ServerSettings(100_000, List.of(), ttl);
    }

    @Test
    void aRepeatedReadIsAnsweredFromMemoryWithTheSameBytesAndHeaders() {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cacheFor(Duration.ofMinutes(5)))) {
            String token = server.login("ada@example.com", "correct horse");
            assertThat(server.post("/applications", token, APP.formatted("alpha")).status()).isEqualTo(201);
            Answer computed = server.get("/applications", token);
            Statistics before = server.server.cacheStatistics();
            Answer cached = server.get("/applications", token);
            Statistics after = server.server.cacheStatistics();

            assertThat(after.hits()).isEqualTo(before.hits() + 1);
            assertThat(cached.status()).isEqualTo(200);
            assertThat(cached.body()).isEqualTo(computed.body()).contains("\"alpha\"");
            assertThat(after.entries()).isGreaterThanOrEqualTo(1);
            assertThat(after.bytes()).isGreaterThanOrEqualTo(computed.body().length());
        }
    }

    @Test
    void everyWriteIsSeenByTheNextRead() {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cacheFor(Duration.ofMinutes(5)))) {
            String token = server.login("ada@example.com", "correct horse");
            assertThat(server.get("/applications", token).json()).isEmpty();
            assertThat(server.get("/applications", token).json()).isEmpty();

            // A write through the API …
            String id = server.post("/applications", token, APP.formatted("alpha")).json().path("id").asText();
            assertThat(server.get("/applications", token).body()).contains("\"alpha\"");
            assertThat(server.get("/applications/" + id, token).json().path("name").asText()).isEqualTo("alpha");
            // … and one by an embedder through the engine, which the server never sees as a request.
            server.ployer.applications().create(ApplicationSpec.named("beta").withGit("https://git.example.com/beta.git", "main"));
            assertThat(server.get("/applications", token).body()).contains("\"alpha\"").contains("\"beta\"");
            server.ployer.applications().delete(id);
            assertThat(server.get("/applications", token).body()).doesNotContain("\"alpha\"");
            assertThat(server.get("/applications/" + id, token).status()).isEqualTo(404);
        }
    }

    /**
     * Invalidation is per aggregate: writes to other aggregates (an env var, a health check, as
     * health results every tick) keep the cached application list; a write to an application drops it.
     */
    @Test
    void writesToOtherAggregatesKeepTheCachedListAndAnApplicationWriteDropsIt() {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cacheFor(Duration.ofMinutes(5)))) {
            String token = server.login("ada@example.com", "correct horse");
            String id = server.post("/applications", token, APP.formatted("alpha")).json().path("id").asText();
            Answer computed = server.get("/applications", token);
            long writes = io.ployer.seam.ServerSeam.of(server.ployer).orElseThrow().changeCount().getAsLong();

            server.ployer.applications().setEnvVar(id, "GREETING", "hello", false);
            server.ployer.health().configure(io.ployer.api.health.HealthCheck.defaults(id));
            assertThat(io.ployer.seam.ServerSeam.of(server.ployer).orElseThrow().changeCount().getAsLong()).isGreaterThan(writes);
            Statistics before = server.server.cacheStatistics();
            assertThat(server.get("/applications", token).body()).isEqualTo(computed.body());
            assertThat(server.get("/applications/" + id, token).status()).isEqualTo(200);
            assertThat(server.server.cacheStatistics().hits()).isEqualTo(before.hits() + 1);

            server.ployer.applications().update(id, ApplicationSpec.named("alpha").withPort(8123));
            Statistics afterWrite = server.server.cacheStatistics();
            assertThat(server.get("/applications", token).body()).contains("8123");
            assertThat(server.server.cacheStatistics().hits()).isEqualTo(afterWrite.hits());
        }
    }

    @Test
    void aCachedAnswerIsNeverGivenToARevokedExpiredOrOtherCredential() {
        TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (ServerFixture server = new ServerFixture(data, clock, Map.of(), cacheFor(Duration.ofMinutes(5)))) {
            String admin = server.login("ada@example.com", "correct horse");
            server.post("/applications", admin, APP.formatted("alpha"));
            String keyWithoutRead = server.post("/auth/api-keys", admin, "{\"name\":\"deployer\",\"scopes\":[\"deploy\"]}")
                    .json().path("key").asText();
            assertThat(server.get("/applications", admin).status()).isEqualTo(200);
            assertThat(server.get("/applications", admin).status()).isEqualTo(200);

            // Another credential is its own caller: a key without the read scope is refused.
            assertThat(server.get("/applications", keyWithoutRead).status()).isEqualTo(403);
            assertThat(server.get("/applications", "not-a-token").status()).isEqualTo(401);

            // Logging out revokes at once, although the answer was cached for this token.
            String second = server.login("ada@example.com", "correct horse");
            assertThat(server.get("/applications", second).status()).isEqualTo(200);
            assertThat(server.post("/auth/logout", second, null).status()).isEqualTo(204);
            assertThat(server.get("/applications", second).status()).isEqualTo(401);

            // Expiry is the engine's clock, not the cache's.
            assertThat(server.get("/applications", admin).status()).isEqualTo(200);
            clock.advance(Duration.ofHours(25));
            assertThat(server.get("/applications", admin).status()).isEqualTo(401);
        }
    }

    @Test
    void theRememberedLoginNeverOutlivesTheSession() {
        // Sessions slide (24 h after the last use) up to 30 days after login. A read one second before
        // that cap is remembered (by the engine, and used on the I/O thread for cache hits) for at most
        // the rest of the session, not for a fixed 5 s.
        TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (ServerFixture server = new ServerFixture(data, clock, Map.of(), cacheFor(Duration.ofMinutes(5)))) {
            String token = server.login("ada@example.com", "correct horse");
            for (int i = 0; i < 35; i++) { // used every 20 h: 700 h after login, the cap (720 h) is the end
                clock.advance(Duration.ofHours(20));
                assertThat(server.get("/auth/me", token).status()).isEqualTo(200);
            }
            clock.advance(Duration.ofHours(20).minusSeconds(1));
            assertThat(server.get("/applications", token).status()).isEqualTo(200);
            assertThat(server.get("/applications", token).status()).isEqualTo(200);
            assertThat(io.ployer.seam.ServerSeam.of(server.ployer).orElseThrow().authenticateFromMemory(token)).isPresent();

            clock.advance(Duration.ofSeconds(2));
            assertThat(io.ployer.seam.ServerSeam.of(server.ployer).orElseThrow().authenticateFromMemory(token)).isEmpty();
            assertThat(server.get("/applications", token).status()).isEqualTo(401);
        }
    }

    @Test
    void errorsAndUnmarkedRoutesAreNeverKept() {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cacheFor(Duration.ofMinutes(5)))) {
            String token = server.login("ada@example.com", "correct horse");
            for (int i = 0; i < 3; i++) {
                assertThat(server.get("/applications/no-such-app", token).status()).isEqualTo(404);
                assertThat(server.get("/auth/me", token).status()).isEqualTo(200);
                assertThat(server.get("/health", token).status()).isEqualTo(200);
            }
            assertThat(server.server.cacheStatistics().hits()).isZero();
            assertThat(server.server.cacheStatistics().entries()).isZero();
        }
    }

    @Test
    void contentNegotiationStillAppliesToACachedTarget() throws Exception {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cacheFor(Duration.ofMinutes(5)))) {
            String token = server.login("ada@example.com", "correct horse");
            assertThat(server.get("/applications", token).status()).isEqualTo(200);
            assertThat(server.get("/applications", token).status()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                var plain = server.client.send(java.net.http.HttpRequest.newBuilder(server.uri("/applications"))
                        .header("Authorization", "Bearer " + token).header("Accept", "text/plain").build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(plain.statusCode()).isEqualTo(406);
                assertThat(plain.body()).contains("NOT_ACCEPTABLE");
            }
        }
    }

    @Test
    void aWriteByAnotherProcessIsSeenWithinTheTimeToLive() throws Exception {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cacheFor(Duration.ofMillis(300)))) {
            String token = server.login("ada@example.com", "correct horse");
            server.post("/applications", token, APP.formatted("alpha"));
            assertThat(server.get("/applications", token).body()).contains("\"alpha\"");
            assertThat(server.get("/applications", token).body()).contains("\"alpha\"");
            // A connection of its own, as a CLI beside the server would have: not counted by this engine.
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ployer.db"));
                 var statement = other.createStatement()) {
                statement.executeUpdate("UPDATE applications SET name = 'renamed' WHERE name = 'alpha'");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            String body = server.get("/applications", token).body();
            while (!body.contains("\"renamed\"") && System.nanoTime() < deadline) {
                Thread.sleep(50);
                body = server.get("/applications", token).body();
            }
            assertThat(body).contains("\"renamed\"").doesNotContain("\"alpha\"");
        }
    }

    @Test
    void aZeroTimeToLiveTurnsTheCacheOff() {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of(), cacheFor(Duration.ZERO))) {
            String token = server.login("ada@example.com", "correct horse");
            for (int i = 0; i < 3; i++) {
                assertThat(server.get("/applications", token).status()).isEqualTo(200);
            }
            assertThat(server.server.cacheStatistics()).isEqualTo(new Statistics(0, 0, 0, 0));
        }
    }

    @Test
    void theTimeToLiveIsReadFromTheEnvironmentAndABadOneIsRefusedNamingTheVariable() {
        assertThat(ServerSettings.fromEnvironment(Map.of()).responseCacheTtl()).isEqualTo(ServerSettings.DEFAULT_RESPONSE_CACHE_TTL);
        assertThat(ServerSettings.fromEnvironment(Map.of("PLOYER_RESPONSE_CACHE_TTL", "500ms")).responseCacheTtl())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(ServerSettings.fromEnvironment(Map.of("PLOYER_RESPONSE_CACHE_TTL", "0")).responseCacheTtl()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("PLOYER_RESPONSE_CACHE_TTL", "soon")))
                .hasMessageContaining("PLOYER_RESPONSE_CACHE_TTL");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("PLOYER_RATE_LIMIT", "lots")))
                .hasMessageContaining("PLOYER_RATE_LIMIT");
    }
}
