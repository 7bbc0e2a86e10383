package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ployer.api.preview.Preview;
import io.ployer.server.ServerFixture.Answer;
import io.ployer.spi.git.WebhookSignatures;
import io.ployer.testkit.git.ForgeApiStub;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitLab's, Gitea's and Bitbucket's published pull request payloads (the plugins' test resources),
 * pointed at a local repository and signed as each forge signs, open a preview through the real
 * receiver, report "pending" to a stub of that forge's status API in its documented format, and
 * close it again. (The repository's Dockerfile does not build: the deployments themselves fail.)
 */
class PreviewForgesTest {
    @TempDir
    Path data;

    private final ObjectMapper mapper = new ObjectMapper();

    private static Path resource(String plugin, String path) {
        return Path.of("..", "ployer-plugins", "ployer-plugin-" + plugin, "src", "test", "resources", path);
    }

    private static Answer deliver(ServerFixture server, String provider, String applicationId, byte[] body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/webhooks/" + provider + "?app_id=" + applicationId))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> response = server.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response.body().isBlank() ? null : server.json.readTree(response.body()));
    }

    private static Map<String, String> headers(String provider, String event, byte[] body, String secret, String delivery) {
        Map<String, String> headers = new LinkedHashMap<>();
        String hmac = WebhookSignatures.hmacSha256Hex(secret, body);
        switch (provider) {
            case "gitlab" -> {
                headers.put("X-Gitlab-Event", "Merge Request Hook");
                headers.put("X-Gitlab-Event-UUID", delivery);
                headers.put("X-Gitlab-Token", secret);
            }
            case "gitea" -> {
                headers.put("X-Forgejo-Event", "pull_request");
                headers.put("X-Forgejo-Delivery", delivery);
                headers.put("X-Forgejo-Signature", hmac);
            }
            default -> {
                headers.put("X-Event-Key", event);
                headers.put("X-Request-UUID", delivery);
                headers.put("X-Hub-Signature", "sha256=" + hmac);
            }
        }
        return headers;
    }

    /** The published payload, pointed at the local repository: base main, head feature at {@code sha}. */
    private byte[] payload(String provider, boolean close, String sha, String repoUrl) throws Exception {
        switch (provider) {
            case "gitlab" -> {
                ObjectNode body = (ObjectNode) mapper.readTree(Files.readAllBytes(resource("gitlab", "merge_request/open.json")));
                ObjectNode attributes = (ObjectNode) body.get("object_attributes");
                attributes.put("action", close ? "merge" : "open").put("target_branch", "main").put("source_branch", "feature");
                ((ObjectNode) attributes.get("last_commit")).put("id", sha);
                ((ObjectNode) body.get("project")).put("git_http_url", repoUrl);
                return mapper.writeValueAsBytes(body);
            }
            case "gitea" -> {
                ObjectNode body = (ObjectNode) mapper.readTree(Files.readAllBytes(resource("gitea", "pull_request/opened.json")));
                body.put("action", close ? "closed" : "opened");
                ObjectNode pull = (ObjectNode) body.get("pull_request");
                ((ObjectNode) pull.get("base")).put("ref", "main");
                ((ObjectNode) pull.get("head")).put("ref", "feature").put("sha", sha);
                ((ObjectNode) body.get("repository")).put("clone_url", repoUrl);
                return mapper.writeValueAsBytes(body);
            }
            default -> {
                ObjectNode body = (ObjectNode) mapper.readTree(Files.readAllBytes(resource("bitbucket", "pullrequest/created.json")));
                ObjectNode pull = (ObjectNode) body.get("pullrequest");
                ((ObjectNode) pull.path("source").path("branch")).put("name", "feature");
                ((ObjectNode) pull.path("source").path("commit")).put("hash", sha.substring(0, 12));
                ((ObjectNode) body.path("repository").path("links").path("html")).put("href", repoUrl);
                return mapper.writeValueAsBytes(body);
            }
        }
    }

    @Test
    void eachForgesPullRequestOpensReportsAndClosesAPreview() throws Exception {
        Path directory = data.resolve("repo");
        Git git = Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call();
        Files.writeString(directory.resolve("Dockerfile"), "not a Dockerfile\n");
        git.add().addFilepattern(".").call();
        git.commit().setMessage("main").setAuthor("Ada", "ada@example.com").setCommitter("Ada", "ada@example.com").call();
        git.checkout().setCreateBranch(true).setName("feature").call();
        Files.writeString(directory.resolve("change.txt"), "change\n");
        git.add().addFilepattern(".").call();
        RevCommit head = git.commit().setMessage("feature").setAuthor("Ada", "ada@example.com").setCommitter("Ada", "ada@example.com").call();
        String repoUrl = directory.toUri().toString();
        Map<String, String[]> forges = Map.of(
                "gitlab", new String[] {"/api/v4", "/api/v4/projects/1/statuses/" + head.name(), "private-token", "t-gitlab", "1"},
                "gitea", new String[] {"/api/v1", "/api/v1/repos/gordon/hello-world/statuses/" + head.name(), "authorization",
                        "token t-gitea", "1"},
                "bitbucket", new String[] {"/2.0", "/2.0/repositories/user_name/repo_name/commit/" + head.name().substring(0, 12)
                        + "/statuses/build", "authorization", "Bearer t-bitbucket", "1"});
        try (ServerFixture server = new ServerFixture(data.resolve("server"), Clock.systemUTC(), Map.of("domains.base", "forges.test"))) {
            String token = server.login("ada@example.com", "correct horse");
            for (Map.Entry<String, String[]> forge : forges.entrySet()) {
                String provider = forge.getKey();
                String[] expected = forge.getValue();
                try (ForgeApiStub stub = new ForgeApiStub()) {
                    String id = server.post("/applications", token, "{\"name\":\"" + provider + "-app\",\"git_url\":\"" + repoUrl + "\"}")
                            .json().path("id").asText();
                    String secret = server.post("/applications/" + id + "/webhooks", token, "{\"provider\":\"" + provider + "\"}").json()
                            .path("secret").asText();
                    server.send("PUT", "/applications/" + id + "/git-token", token, "{\"token\":\"" + expected[3].replaceAll("^.* ", "") + "\"}");
                    server.send("PUT", "/applications/" + id + "/previews/settings", token, "{\"status_api_url\":\"" + stub.url(expected[0]) + "\"}");

                    byte[] opened = payload(provider, false, head.name(), repoUrl);
                    Answer answer = deliver(server, provider, id, opened, headers(provider, "pullrequest:created", opened, secret, provider + "-1"));
                    assertThat(answer.status()).as(provider + ": " + answer.body()).isEqualTo(202);
                    Preview preview = server.ployer.previews().list(id).get(0);
                    assertThat(preview.number()).as(provider).isEqualTo(Integer.parseInt(expected[4]));
                    assertThat(preview.url()).as(provider).isEqualTo("https://pr-1." + provider + "-app.forges.test");
                    assertThat(server.ployer.applications().get(preview.previewApplicationId()).branch()).isEqualTo("feature");

                    ForgeApiStub.Received pending = stub.take();
                    assertThat(pending.method()).as(provider).isEqualTo("POST");
                    assertThat(pending.path()).as(provider).isEqualTo(expected[1]);
                    assertThat(pending.headers()).as(provider).containsEntry(expected[2], expected[3]);
                    JsonNode body = mapper.readTree(pending.body());
                    assertThat(body.path("state").asText()).as(provider).isIn("running", "pending", "INPROGRESS");
                    assertThat(pending.body()).as(provider).contains("ployer/preview");

                    byte[] closed = payload(provider, true, head.name(), repoUrl);
                    Answer gone = deliver(server, provider, id, closed, headers(provider, "pullrequest:fulfilled", closed, secret, provider + "-2"));
                    assertThat(gone.json().path("status").asText()).as(provider + ": " + gone.body()).isEqualTo("SUCCESS");
                    assertThat(server.ployer.previews().list(id)).as(provider).isEmpty();
                    assertThat(server.ployer.applications().find(preview.previewApplicationId())).as(provider).isEmpty();
                }
            }
        }
    }
}
