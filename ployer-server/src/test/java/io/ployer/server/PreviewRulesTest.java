package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ployer.api.preview.Preview;
import io.ployer.server.ServerFixture.Answer;
import io.ployer.spi.git.WebhookSignatures;
import io.ployer.testkit.TestingClock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules around previews, through the real receiver and API: forks only when allowed, the
 * per-application limit, expiry by the clock, other base branches, settings checked field by field,
 * preview env values encrypted at rest, and previews going with their application. (The preview
 * deployments themselves may fail here: the repository's Dockerfile does not build.)
 */
class PreviewRulesTest {
    private static final Path OPENED = Path.of("..", "ployer-plugins", "ployer-plugin-github", "src", "test", "resources",
            "pull_request", "opened.json");

    @TempDir
    Path data;

    private final ObjectMapper mapper = new ObjectMapper();

    private String payload(int number, String base, String headSha, String repoUrl, String headRepoUrl) throws Exception {
        return payload("opened", number, base, headSha, repoUrl, headRepoUrl);
    }

    private String payload(String action, int number, String base, String headSha, String repoUrl, String headRepoUrl) throws Exception {
        ObjectNode body = (ObjectNode) mapper.readTree(Files.readAllBytes(OPENED));
        body.put("action", action);
        body.put("number", number);
        ObjectNode pull = (ObjectNode) body.get("pull_request");
        pull.put("number", number);
        ((ObjectNode) pull.get("head")).put("sha", headSha).put("ref", "main");
        ((ObjectNode) pull.get("base")).put("ref", base);
        ((ObjectNode) body.get("repository")).put("clone_url", repoUrl);
        ((ObjectNode) pull.path("base").path("repo")).put("clone_url", repoUrl);
        ObjectNode headRepo = (ObjectNode) pull.path("head").path("repo");
        headRepo.put("clone_url", headRepoUrl);
        if (!headRepoUrl.equals(repoUrl)) {
            headRepo.put("full_name", "Forker/Hello-World").put("fork", true);
        }
        return mapper.writeValueAsString(body);
    }

    private static Answer deliver(ServerFixture server, String applicationId, String secret, String body, String deliveryId) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = server.client.send(HttpRequest.newBuilder(server.uri("/webhooks/github?app_id=" + applicationId))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "pull_request").header("X-GitHub-Delivery", deliveryId)
                .header("X-Hub-Signature-256", "sha256=" + WebhookSignatures.hmacSha256Hex(secret, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response.body().isBlank() ? null : server.json.readTree(response.body()));
    }

    private static RevCommit repository(Path directory) throws Exception {
        Git git = Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call();
        Files.writeString(directory.resolve("Dockerfile"), "this is not a Dockerfile\n");
        git.add().addFilepattern(".").call();
        return git.commit().setMessage("broken").setAuthor("Ada", "ada@example.com").setCommitter("Ada", "ada@example.com").call();
    }

    @Test
    void forksLimitsExpiryBranchesSettingsAndSecrets() throws Exception {
        RevCommit head = repository(data.resolve("repo"));
        RevCommit forkHead = repository(data.resolve("fork"));
        String repoUrl = data.resolve("repo").toUri().toString();
        String forkUrl = data.resolve("fork").toUri().toString();
        TestingClock clock = TestingClock.start();
        try (ServerFixture server = new ServerFixture(data.resolve("server"), clock, Map.of("domains.base", "previews.test"))) {
            String token = server.login("ada@example.com", "correct horse");
            String id = server.post("/applications", token, "{\"name\":\"shop\",\"git_url\":\"" + repoUrl + "\"}").json().path("id").asText();
            String secret = server.post("/applications/" + id + "/webhooks", token, "{\"provider\":\"github\"}").json().path("secret").asText();

            // settings are checked field by field, and nothing changes on a refusal
            JsonNode defaults = server.get("/applications/" + id + "/previews/settings", token).json();
            assertThat(defaults.path("allow_forks").asBoolean()).isFalse();
            assertThat(defaults.path("domain_pattern").asText()).isEqualTo("pr-{number}.{domain}");
            for (Map.Entry<String, String> bad : Map.of("{\"max_previews\":0}", "max_previews", "{\"expire_days\":400}", "expire_days",
                    "{\"domain_pattern\":\"preview.{domain}\"}", "domain_pattern", "{\"domain_pattern\":\"pr-{number}.bad_host.test\"}",
                    "domain_pattern", "{\"status_api_url\":\"http://forge.example.com\"}", "status_api_url").entrySet()) {
                Answer refused = server.send("PUT", "/applications/" + id + "/previews/settings", token, bad.getKey());
                assertThat(refused.status()).as(bad.getKey()).isEqualTo(400);
                assertThat(refused.errorField()).isEqualTo(bad.getValue());
            }
            assertThat(server.get("/applications/" + id + "/previews/settings", token).json()).isEqualTo(defaults);
            assertThat(server.send("DELETE", "/applications/" + id + "/previews/abc", token, null).errorField()).isEqualTo("number");

            // preview env values are masked when listed and encrypted at rest
            server.send("PUT", "/applications/" + id + "/previews/envs/API_KEY", token, "{\"value\":\"s3cr3t-preview\"}");
            assertThat(server.get("/applications/" + id + "/previews/envs", token).json().get(0).path("value").asText()).isEqualTo("********");
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("server/ployer.db"));
                 ResultSet row = connection.createStatement().executeQuery("SELECT value FROM preview_env_vars")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).startsWith("ENC:v1:").doesNotContain("s3cr3t-preview");
            }

            // a pull request against another branch is not previewed
            Answer otherBranch = deliver(server, id, secret, payload(7, "release", head.name(), repoUrl, repoUrl), "other-branch");
            assertThat(otherBranch.json().path("status").asText()).isEqualTo("SKIPPED");
            assertThat(otherBranch.json().path("reason").asText()).contains("targets branch 'release'");

            // a fork is not previewed until the application allows forks
            Answer fork = deliver(server, id, secret, payload(5, "main", forkHead.name(), repoUrl, forkUrl), "fork-1");
            assertThat(fork.json().path("status").asText()).isEqualTo("SKIPPED");
            assertThat(fork.json().path("reason").asText()).contains("from a fork");
            assertThat(server.ployer.previews().list(id)).isEmpty();
            server.send("PUT", "/applications/" + id + "/previews/settings", token, "{\"allow_forks\":true,\"max_previews\":1,\"expire_days\":2}");
            Answer allowed = deliver(server, id, secret, payload(5, "main", forkHead.name(), repoUrl, forkUrl), "fork-2");
            assertThat(allowed.status()).as(allowed.body()).isEqualTo(202);
            Preview preview = server.ployer.previews().list(id).get(0);
            assertThat(preview.fork()).isTrue();
            assertThat(preview.url()).isEqualTo("https://pr-5.shop.previews.test");
            assertThat(server.ployer.applications().get(preview.previewApplicationId()).gitUrl()).isEqualTo(forkUrl);
            assertThat(server.ployer.applications().revealEnvVars(preview.previewApplicationId()))
                    .extracting(env -> env.key() + "=" + env.value()).containsExactly("API_KEY=s3cr3t-preview");

            // the limit: one preview at a time
            Answer second = deliver(server, id, secret, payload(6, "main", head.name(), repoUrl, repoUrl), "limit");
            assertThat(second.json().path("status").asText()).isEqualTo("SKIPPED");
            assertThat(second.json().path("reason").asText()).contains("limit (max_previews)");

            // expiry: idle for more than expire_days, the preview and its application go
            clock.advance(Duration.ofDays(1));
            assertThat(server.ployer.previews().expire()).isZero();
            clock.advance(Duration.ofDays(1).plusMinutes(1));
            assertThat(server.ployer.previews().expire()).isEqualTo(1);
            assertThat(server.ployer.previews().list(id)).isEmpty();
            assertThat(server.ployer.applications().find(preview.previewApplicationId())).isEmpty();

            // a close reaches the preview even when the pull request was retargeted to another branch since
            deliver(server, id, secret, payload(6, "main", head.name(), repoUrl, repoUrl), "after-expiry");
            assertThat(server.ployer.previews().list(id)).hasSize(1);
            Answer closed = deliver(server, id, secret, payload("closed", 6, "release", head.name(), repoUrl, repoUrl), "closed-retargeted");
            assertThat(closed.json().path("status").asText()).as(closed.body()).isEqualTo("SUCCESS");
            assertThat(server.ployer.previews().list(id)).isEmpty();

            // previews go with their application
            deliver(server, id, secret, payload(6, "main", head.name(), repoUrl, repoUrl), "reopened");
            String childId = server.ployer.previews().list(id).get(0).previewApplicationId();
            server.ployer.applications().delete(id);
            assertThat(server.ployer.applications().find(childId)).isEmpty();
            assertThat(server.ployer.applications().list()).isEmpty();
        }
    }
}
