package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.preview.Preview;
import io.ployer.api.preview.PreviewStatus;
import io.ployer.server.ServerFixture.Answer;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.git.WebhookSignatures;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Environment;
import io.ployer.testkit.git.ForgeApiStub;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull request previewed end to end: GitHub's published {@code pull_request} payload (the
 * github plugin's test resource, pointed at a local git repository) opens a preview that Caddy
 * serves on {@code pr-2.<app domain>} with the preview env values; {@code synchronize} serves the
 * new commit; {@code closed} removes its container, route and image. The commit statuses go to a
 * GitHub API stub on 127.0.0.1.
 */
class PreviewIT {
    private static final Path OPENED = Path.of("..", "ployer-plugins", "ployer-plugin-github", "src", "test", "resources",
            "pull_request", "opened.json");

    @TempDir
    Path data;

    private final ObjectMapper mapper = new ObjectMapper();

    private static RevCommit commit(Path directory, Git git, String version) throws Exception {
        Files.writeString(directory.resolve("version.txt"), version + "\n");
        Files.writeString(directory.resolve("Dockerfile"), "FROM ployer/busybox:latest\nCOPY version.txt /www/version.txt\n"
                + "CMD [\"sh\", \"-c\", \"echo \\\"$GREETING\\\" > /www/env.txt && exec httpd -f -p 8080 -h /www\"]\n");
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(version).setAuthor("Ada", "ada@example.com").setCommitter("Ada", "ada@example.com").call();
    }

    /** GitHub's published example, with this repository's URL, branches and head commit. */
    private String payload(String action, String headSha, String repoUrl) throws Exception {
        ObjectNode body = (ObjectNode) mapper.readTree(Files.readAllBytes(OPENED));
        body.put("action", action);
        ObjectNode pull = (ObjectNode) body.get("pull_request");
        ((ObjectNode) pull.get("head")).put("sha", headSha).put("ref", "changes");
        ((ObjectNode) pull.get("base")).put("ref", "main");
        for (JsonNode repository : List.of(body.get("repository"), pull.path("head").path("repo"), pull.path("base").path("repo"))) {
            ((ObjectNode) repository).put("clone_url", repoUrl);
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

    private static HttpResponse<String> throughCaddy(CaddyProcess caddy, String host, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + caddy.httpPort() + path))
                .header("Host", host).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertStatus(ForgeApiStub.Received request, String sha, String state, String targetUrl) throws Exception {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/repos/Codertocat/Hello-World/statuses/" + sha);
        assertThat(request.headers()).containsEntry("authorization", "Bearer preview-token-123");
        JsonNode body = new ObjectMapper().readTree(request.body());
        assertThat(body.path("state").asText()).isEqualTo(state);
        assertThat(body.path("context").asText()).isEqualTo("ployer/preview");
        if (targetUrl != null) {
            assertThat(body.path("target_url").asText()).isEqualTo(targetUrl);
        }
    }

    @Test
    void aPullRequestIsPreviewedRedeployedAndRemoved() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy")); ForgeApiStub github = new ForgeApiStub()) {
            Map<String, String> config = Map.of("proxy", "caddy", "proxy.admin-address", caddy.adminAddress(),
                    "proxy.http-port", String.valueOf(caddy.httpPort()), "proxy.listen-host", "127.0.0.1", "proxy.http-only", "true",
                    "domains.base", "previews.test", "deploy.drain-period", "1s");
            Path directory = data.resolve("repo");
            Git git = Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call();
            commit(directory, git, "main-v1");
            git.branchCreate().setName("changes").call();
            git.checkout().setName("changes").call();
            RevCommit first = commit(directory, git, "pr-v1");
            String repoUrl = directory.toUri().toString();
            String childId = null;
            try (ServerFixture server = new ServerFixture(data.resolve("server"), Clock.systemUTC(), config)) {
                String token = server.login("ada@example.com", "correct horse");
                String id = server.post("/applications", token, "{\"name\":\"shop\",\"git_url\":\"" + repoUrl + "\"}").json().path("id").asText();
                String secret = server.post("/applications/" + id + "/webhooks", token, "{\"provider\":\"github\"}").json().path("secret").asText();
                assertThat(server.send("PUT", "/applications/" + id + "/git-token", token, "{\"token\":\"preview-token-123\"}").status())
                        .isLessThan(300);
                assertThat(server.send("PUT", "/applications/" + id + "/previews/settings", token,
                        "{\"status_api_url\":\"" + github.url("") + "\"}").status()).isEqualTo(200);
                assertThat(server.send("PUT", "/applications/" + id + "/previews/envs/GREETING", token,
                        "{\"value\":\"hello from the preview\"}").json().path("value").asText()).isEqualTo("********");

                // opened: the head commit is deployed as a child application on pr-2.shop.previews.test
                Answer opened = deliver(server, id, secret, payload("opened", first.name(), repoUrl), "pr-opened");
                assertThat(opened.status()).as(opened.body()).isEqualTo(202);
                Deployment deployed = server.ployer.deployments().awaitCompletion(opened.json().path("deployment_id").asText(),
                        Duration.ofMinutes(3));
                assertThat(deployed.status()).as(String.valueOf(deployed)).isEqualTo(DeploymentStatus.RUNNING);
                assertThat(deployed.commitSha()).isEqualTo(first.name());
                assertThat(throughCaddy(caddy, "pr-2.shop.previews.test", "/version.txt").body().strip()).isEqualTo("pr-v1");
                assertThat(throughCaddy(caddy, "pr-2.shop.previews.test", "/env.txt").body().strip()).isEqualTo("hello from the preview");
                assertStatus(github.take(), first.name(), "pending", "https://pr-2.shop.previews.test");
                assertStatus(github.take(), first.name(), "success", "https://pr-2.shop.previews.test");
                Preview preview = server.ployer.previews().list(id).get(0);
                childId = preview.previewApplicationId();
                assertThat(preview.number()).isEqualTo(2);
                assertThat(preview.url()).isEqualTo("https://pr-2.shop.previews.test");
                JsonNode listed = server.get("/applications/" + id + "/previews", token).json();
                assertThat(listed.get(0).path("head_sha").asText()).isEqualTo(first.name());
                assertThat(listed.get(0).path("status").asText()).isEqualTo(PreviewStatus.READY.name());

                // synchronize: a new commit on the branch is deployed and served
                RevCommit second = commit(directory, git, "pr-v2");
                Answer synchronize = deliver(server, id, secret, payload("synchronize", second.name(), repoUrl), "pr-synchronize");
                assertThat(synchronize.status()).as(synchronize.body()).isEqualTo(202);
                Deployment redeployed = server.ployer.deployments().awaitCompletion(synchronize.json().path("deployment_id").asText(),
                        Duration.ofMinutes(3));
                assertThat(redeployed.status()).isEqualTo(DeploymentStatus.RUNNING);
                assertThat(throughCaddy(caddy, "pr-2.shop.previews.test", "/version.txt").body().strip()).isEqualTo("pr-v2");
                assertStatus(github.take(), second.name(), "pending", null);
                assertStatus(github.take(), second.name(), "success", "https://pr-2.shop.previews.test");

                // closed: container, route and image are gone
                Answer closed = deliver(server, id, secret, payload("closed", second.name(), repoUrl), "pr-closed");
                assertThat(closed.status()).as(closed.body()).isEqualTo(200);
                assertThat(closed.json().path("status").asText()).isEqualTo("SUCCESS");
                assertThat(server.ployer.previews().list(id)).isEmpty();
                assertThat(server.ployer.applications().find(childId)).isEmpty();
                HttpResponse<String> after = throughCaddy(caddy, "pr-2.shop.previews.test", "/version.txt");
                assertThat(after.body()).doesNotContain("pr-v");
                try (ContainerRuntime docker = docker()) {
                    assertThat(docker.listContainers(Map.of(ContainerRuntime.LABEL_APP, childId), true)).isEmpty();
                    assertThat(docker.listImages(Map.of(ContainerRuntime.LABEL_APP, childId))).isEmpty();
                }
            } finally {
                if (childId != null) {
                    try (ContainerRuntime docker = docker()) {
                        docker.listContainers(Map.of(ContainerRuntime.LABEL_APP, childId), true)
                                .forEach(container -> docker.removeContainer(container.id(), true));
                    }
                }
            }
        }
    }

    private static ContainerRuntime docker() {
        return ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .flatMap(plugin -> plugin.containerRuntimeFactories().stream()).findFirst().orElseThrow()
                .create(Map.of(), new PluginContext() {
                });
    }
}
