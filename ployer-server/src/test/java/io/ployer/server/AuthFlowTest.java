package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.server.ServerFixture.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts over real HTTP: first admin, tokens, expiry, revocation, API key scopes, throttling. */
class AuthFlowTest {
    @TempDir
    Path data;

    @Test
    void registerLoginMeLogout() {
        try (ServerFixture server = new ServerFixture(data)) {
            Answer registered = server.post("/auth/register", null, "{\"email\":\"Ada@Example.com\",\"password\":\"correct horse\"}");
            assertThat(registered.status()).isEqualTo(201);
            assertThat(registered.json().path("role").asText()).isEqualTo("OWNER");
            assertThat(registered.body()).doesNotContain("correct horse").doesNotContain("argon2");

            Answer login = server.post("/auth/login", null, "{\"email\":\"ada@example.com\",\"password\":\"correct horse\"}");
            assertThat(login.status()).isEqualTo(200);
            String token = login.json().path("token").asText();
            assertThat(token).hasSizeGreaterThanOrEqualTo(22);

            Answer me = server.get("/auth/me", token);
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().path("email").asText()).isEqualTo("ada@example.com");

            assertThat(server.post("/auth/logout", token, null).status()).isEqualTo(204);
            Answer afterLogout = server.get("/auth/me", token);
            assertThat(afterLogout.status()).isEqualTo(401);
            assertThat(afterLogout.errorCode()).isEqualTo("UNAUTHENTICATED");
        }
    }

    @Test
    void exactlyOneOfManyConcurrentFirstRegistrationsBecomesOwner() throws Exception {
        try (ServerFixture server = new ServerFixture(data)) {
            ExecutorService pool = Executors.newFixedThreadPool(10);
            try {
                List<Callable<Answer>> registrations = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String body = "{\"email\":\"user" + i + "@example.com\",\"password\":\"password-" + i + "\"}";
                    registrations.add(() -> server.post("/auth/register", null, body));
                }
                List<Answer> answers = new ArrayList<>();
                for (Future<Answer> future : pool.invokeAll(registrations)) {
                    answers.add(future.get());
                }
                assertThat(answers.stream().filter(answer -> answer.status() == 201)).hasSize(1);
                assertThat(answers.stream().filter(answer -> answer.status() == 201).findFirst().orElseThrow()
                        .json().path("role").asText()).isEqualTo("OWNER");
                assertThat(answers.stream().filter(answer -> answer.status() == 403)).hasSize(9);
                assertThat(server.ployer.accounts().users()).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void registrationStaysClosedUntilTheAdminOpensIt() {
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            Answer closed = server.post("/auth/register", null, "{\"email\":\"eve@example.com\",\"password\":\"eve-password\"}");
            assertThat(closed.status()).isEqualTo(403);
            assertThat(server.send("PUT", "/auth/registration", admin, "{\"open\":true}").status()).isEqualTo(200);
            Answer open = server.post("/auth/register", null, "{\"email\":\"bob@example.com\",\"password\":\"bob-password\"}");
            assertThat(open.status()).isEqualTo(201);
            assertThat(open.json().path("role").asText()).isEqualTo("USER");
            String bob = server.login("bob@example.com", "bob-password");
            assertThat(server.send("PUT", "/auth/registration", bob, "{\"open\":false}").status()).isEqualTo(403);
        }
    }

    @Test
    void tokensExpire() {
        TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (ServerFixture server = new ServerFixture(data, clock, Map.of())) {
            String token = server.login("ada@example.com", "correct horse");
            assertThat(server.get("/auth/me", token).status()).isEqualTo(200);
            clock.advance(Duration.ofHours(25));
            assertThat(server.get("/auth/me", token).status()).isEqualTo(401);
        }
    }

    @Test
    void memoryOnlyAuthenticationAnswersOnlyForCredentialsResolvedMomentsAgo() {
        TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (ServerFixture server = new ServerFixture(data, clock, Map.of())) {
            String token = server.login("ada@example.com", "correct horse");
            var accounts = server.ployer.accounts();
            var seam = io.ployer.seam.ServerSeam.of(server.ployer).orElseThrow();
            assertThat(seam.authenticateFromMemory(token)).isEmpty(); // issued, never resolved yet
            var resolved = accounts.authenticate(token);
            assertThat(resolved).isPresent();
            assertThat(seam.authenticateFromMemory(token)).isEqualTo(resolved);
            assertThat(seam.authenticateFromMemory("not-a-token")).isEmpty();

            clock.advance(Duration.ofSeconds(6)); // past the engine's principal cache
            assertThat(seam.authenticateFromMemory(token)).isEmpty();
            assertThat(accounts.authenticate(token)).isPresent();
            assertThat(seam.authenticateFromMemory(token)).isPresent();

            accounts.logout(token);
            assertThat(seam.authenticateFromMemory(token)).isEmpty();
            assertThat(accounts.authenticate(token)).isEmpty();
        }
    }

    @Test
    void apiKeysCarryScopes() {
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("ada@example.com", "correct horse");
            Answer created = server.post("/auth/api-keys", admin, "{\"name\":\"ci\",\"scopes\":[\"read\"]}");
            assertThat(created.status()).isEqualTo(201);
            String key = created.json().path("key").asText();
            assertThat(key).startsWith("ployer_");

            assertThat(server.get("/applications", key).status()).isEqualTo(200);
            Answer write = server.post("/applications", key, "{\"name\":\"blocked\",\"git_url\":\"https://git.example.com/a.git\"}");
            assertThat(write.status()).isEqualTo(403);
            assertThat(write.errorCode()).isEqualTo("PERMISSION_DENIED");
            assertThat(server.ployer.applications().list()).isEmpty();

            Answer listed = server.get("/auth/api-keys", admin);
            assertThat(listed.body()).doesNotContain(key);
            String id = listed.json().get(0).path("id").asText();
            assertThat(server.send("DELETE", "/auth/api-keys/" + id, admin, null).status()).isEqualTo(204);
            assertThat(server.get("/applications", key).status()).isEqualTo(401);
        }
    }

    @Test
    void failedLoginsAreThrottled() {
        // A frozen clock: the throttle's waiting time never runs out during the test.
        TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (ServerFixture server = new ServerFixture(data, clock, Map.of())) {
            server.login("ada@example.com", "correct horse");
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                statuses.add(server.post("/auth/login", null, "{\"email\":\"ada@example.com\",\"password\":\"wrong-" + i + "\"}").status());
            }
            assertThat(statuses.subList(0, 5)).containsOnly(401);
            assertThat(statuses).contains(429);
            Answer correctButThrottled = server.post("/auth/login", null, "{\"email\":\"ada@example.com\",\"password\":\"correct horse\"}");
            assertThat(correctButThrottled.status()).isEqualTo(429);
            assertThat(correctButThrottled.errorCode()).isEqualTo("LIMIT_EXCEEDED");
        }
    }
}
