package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.webhook.WebhookDelivery;
import io.ployer.server.ServerFixture.Answer;
import io.ployer.spi.git.WebhookSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each forge's own push payload (the plugins' documented examples), signed as that forge signs it and sent
 * over real HTTP: which repository and which change a delivery is acted on for, and which deliveries count
 * as duplicates. The applications have auto-deploy off, so "auto-deploy is off" is the answer of a push that
 * matched the application's repository and branch (and no clone leaves the machine).
 */
class WebhookForgePayloadsTest {
    private static final String MATCHED = "auto-deploy is off for this application";

    @TempDir
    java.nio.file.Path data;

    private static byte[] payload(String name) {
        try (InputStream input = WebhookForgePayloadsTest.class.getResourceAsStream("/forge-payloads/" + name + ".json")) {
            return input.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("missing payload " + name, e);
        }
    }

    /** The headers each forge sends with a push, signed with {@code secret}. */
    private static Map<String, String> pushHeaders(String provider, byte[] body, String secret, String deliveryId) {
        Map<String, String> headers = new LinkedHashMap<>();
        String hmac = WebhookSignatures.hmacSha256Hex(secret, body);
        switch (provider) {
            case "github" -> {
                headers.put("X-GitHub-Event", "push");
                headers.put("X-GitHub-Delivery", deliveryId);
                headers.put("X-Hub-Signature-256", "sha256=" + hmac);
            }
            case "gitlab" -> {
                headers.put("X-Gitlab-Event", "Push Hook");
                headers.put("X-Gitlab-Event-UUID", deliveryId);
                headers.put("X-Gitlab-Token", secret);
            }
            case "gitea" -> {
                headers.put("X-Gitea-Event", "push");
                headers.put("X-Gitea-Delivery", deliveryId);
                headers.put("X-Gitea-Signature", hmac);
            }
            case "bitbucket" -> {
                headers.put("X-Event-Key", "repo:push");
                headers.put("X-Request-UUID", deliveryId);
                headers.put("X-Hub-Signature", "sha256=" + hmac);
            }
            default -> {
                headers.put("X-Ployer-Delivery", deliveryId);
                headers.put("X-Ployer-Token", secret);
            }
        }
        return headers;
    }

    private static Answer deliver(ServerFixture server, String provider, String applicationId, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/webhooks/" + provider + "?app_id=" + applicationId))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = server.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.body().isBlank() ? null : server.json.readTree(response.body()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private record Hooked(String id, String secret) {
    }

    /** An application with auto-deploy off and a webhook of {@code provider}. */
    private static Hooked app(ServerFixture server, String token, String name, String provider, String gitUrl, String branch) {
        Answer app = server.post("/applications", token, "{\"name\":\"" + name + "\",\"git_url\":\"" + gitUrl + "\",\"branch\":\""
                + branch + "\",\"auto_deploy\":false}");
        assertThat(app.status()).as(app.body()).isEqualTo(201);
        String id = app.json().path("id").asText();
        String secret = server.post("/applications/" + id + "/webhooks", token, "{\"provider\":\"" + provider + "\"}").json()
                .path("secret").asText();
        return new Hooked(id, secret);
    }

    private static String reason(ServerFixture server, String provider, Hooked app, String payload, String deliveryId) {
        byte[] body = payload(payload);
        Answer answer = deliver(server, provider, app.id(), body, pushHeaders(provider, body, app.secret(), deliveryId));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().path("reason").asText();
    }

    private static WebhookDelivery latest(ServerFixture server, Hooked app) {
        return server.ployer.webhooks().deliveries(app.id(), 1).get(0);
    }

    @Test
    void aPushIsActedOnWhenItsRepositoryIsTheApplicationsInWhateverFormTheForgeNamesIt() {
        // The application's git URL is in another form than the one the forge lists first: ssh for https, a
        // different case, a trailing slash, no ".git", an ssh:// URL with a port.
        Map<String, String[]> forges = new LinkedHashMap<>();
        forges.put("github", new String[] {"git@GitHub.com:Octocat/Hello-World.git", "main", "https://github.com/octocat/hello-world.git"});
        forges.put("gitlab", new String[] {"ssh://git@gitlab.example.com/mike/diaspora", "main", "https://gitlab.example.com/mike/diaspora.git"});
        forges.put("gitea", new String[] {"ssh://gitea@LOCALHOST:2222/gitea/webhooks.git/", "develop", "http://localhost:3000/gitea/webhooks.git"});
        forges.put("bitbucket", new String[] {"git@bitbucket.org:team/app.git", "main", "https://bitbucket.org/team/app"});
        forges.put("generic", new String[] {"https://git.example.com/shop/app", "main", "https://git.example.com/shop/app.git"});
        try (ServerFixture server = new ServerFixture(data)) {
            String token = server.login("ada@example.com", "correct horse");
            forges.forEach((provider, expected) -> {
                Hooked app = app(server, token, provider + "-app", provider, expected[0], expected[1]);
                assertThat(reason(server, provider, app, provider + "-push", provider + "-1")).as(provider).isEqualTo(MATCHED);
                assertThat(latest(server, app).repository()).as(provider).isEqualTo(expected[2]);
                assertThat(server.get("/applications/" + app.id() + "/webhooks/deliveries", token).json().path(0).path("repository")
                        .asText()).as(provider).isEqualTo(expected[2]);
            });
        }
    }

    @Test
    void aCorrectlySignedPushNamingAnotherRepositoryIsSkippedWithTheReason() {
        Map<String, String> others = new LinkedHashMap<>();
        others.put("github", "https://github.com/octocat/hello-world-fork.git");
        others.put("gitlab", "git@gitlab.example.com:mike/other.git");
        others.put("gitea", "https://localhost:3000/someone-else/webhooks.git");
        others.put("bitbucket", "https://bitbucket.org/team/app2.git");
        others.put("generic", "https://git.example.org/shop/app.git");
        Map<String, String> branches = Map.of("gitea", "develop");
        try (ServerFixture server = new ServerFixture(data)) {
            String token = server.login("ada@example.com", "correct horse");
            others.forEach((provider, gitUrl) -> {
                Hooked app = app(server, token, provider + "-other", provider, gitUrl, branches.getOrDefault(provider, "main"));
                String reason = reason(server, provider, app, provider + "-push", provider + "-other");
                assertThat(reason).as(provider).startsWith("push to repository ").contains(gitUrl).doesNotContain(MATCHED);
                WebhookDelivery recorded = latest(server, app);
                assertThat(recorded.status().name()).isEqualTo("SKIPPED");
                assertThat(recorded.deploymentId()).isNull();
                assertThat(recorded.repository()).as(provider).isNotNull().isNotEqualTo(gitUrl);
            });
        }
    }

    @Test
    void aBitbucketPushWithSeveralChangesIsActedOnForTheChangeOfTheApplicationsBranch() {
        // One push: main updated, feature created, a tag pushed. The application deploys feature (second change).
        try (ServerFixture server = new ServerFixture(data)) {
            String token = server.login("ada@example.com", "correct horse");
            Hooked feature = app(server, token, "feature-app", "bitbucket", "https://bitbucket.org/team/app.git", "feature");
            assertThat(reason(server, "bitbucket", feature, "bitbucket-push-several-changes", "several-1")).isEqualTo(MATCHED);
            WebhookDelivery recorded = latest(server, feature);
            assertThat(recorded.branch()).isEqualTo("feature");
            assertThat(recorded.commitSha()).isEqualTo("4c8b2c3a6d0f0e5b9a1d2c3e4f5a6b7c8d9e0f1a");

            Hooked main = app(server, token, "main-app", "bitbucket", "https://bitbucket.org/team/app.git", "main");
            assertThat(reason(server, "bitbucket", main, "bitbucket-push-several-changes", "several-2")).isEqualTo(MATCHED);
            assertThat(latest(server, main).branch()).isEqualTo("main");

            Hooked other = app(server, token, "other-app", "bitbucket", "https://bitbucket.org/team/app.git", "release");
            assertThat(reason(server, "bitbucket", other, "bitbucket-push-several-changes", "several-3"))
                    .isEqualTo("push to branch 'main', the application deploys 'release'");
        }
    }

    @Test
    void aRejectedDeliveryDoesNotBlockItsRedelivery() {
        try (ServerFixture server = new ServerFixture(data)) {
            String token = server.login("ada@example.com", "correct horse");
            for (String provider : new String[] {"github", "gitlab", "gitea", "bitbucket", "generic"}) {
                String gitUrl = switch (provider) {
                    case "github" -> "https://github.com/octocat/hello-world.git";
                    case "gitlab" -> "https://gitlab.example.com/mike/diaspora.git";
                    case "gitea" -> "https://localhost:3000/gitea/webhooks.git";
                    case "bitbucket" -> "https://bitbucket.org/team/app.git";
                    default -> "https://git.example.com/shop/app.git";
                };
                Hooked app = app(server, token, provider + "-redelivered", provider, gitUrl, provider.equals("gitea") ? "develop" : "main");
                byte[] body = payload(provider + "-push");
                // A forged request (or one signed with the old secret) carrying the delivery id the forge will use.
                Answer forged = deliver(server, provider, app.id(), body, pushHeaders(provider, body, "not-the-secret", "guessed-id"));
                assertThat(forged.status()).as(provider).isEqualTo(401);
                // The garbage copy also fails to parse: still not a handled delivery.
                byte[] garbage = "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                assertThat(deliver(server, provider, app.id(), garbage, pushHeaders(provider, garbage, app.secret(), "guessed-id")).status())
                        .as(provider).isEqualTo(400);
                assertThat(reason(server, provider, app, provider + "-push", "guessed-id")).as(provider).isEqualTo(MATCHED);
                assertThat(reason(server, provider, app, provider + "-push", "guessed-id")).as(provider)
                        .isEqualTo("duplicate delivery guessed-id: already handled");
            }
        }
    }
}
