package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentQuery;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.webhook.WebhookDelivery;
import io.ployer.api.webhook.WebhookDeliveryStatus;
import io.ployer.server.ServerFixture.Answer;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.git.WebhookSignatures;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Environment;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push to deploy over real HTTP: signed GitHub deliveries, replays and forgeries, a burst, and a push served through Caddy. */
class WebhookReceiverIT {
    @TempDir
    Path data;

    private record Repo(Path directory, Git git) {
        RevCommit commit(String version, String extraStep) throws Exception {
            Files.writeString(directory.resolve("version.txt"), version + "\n");
            Files.writeString(directory.resolve("Dockerfile"), "FROM ployer/busybox:latest\n" + extraStep
                    + "COPY version.txt /www/version.txt\nCMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
            git.add().addFilepattern(".").call();
            return git.commit().setMessage("version " + version).setAuthor("Ada", "ada@example.com")
                    .setCommitter("Ada", "ada@example.com").call();
        }
    }

    private static Repo repo(Path directory) throws Exception {
        return new Repo(directory, Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call());
    }

    private static String push(String branch, String sha) {
        return push(branch, sha, "https://git.example.com/h.git");
    }

    private static String push(String branch, String sha, String cloneUrl) {
        return "{\"ref\":\"refs/heads/" + branch + "\",\"after\":\"" + sha + "\",\"deleted\":false,\"head_commit\":{\"id\":\"" + sha
                + "\",\"message\":\"change\",\"author\":{\"name\":\"Ada\"}},\"repository\":{\"clone_url\":\"" + cloneUrl + "\"}}";
    }

    private static Answer deliver(ServerFixture server, String applicationId, String secret, String event, String body,
                                  String deliveryId) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(server.uri("/webhooks/github?app_id=" + applicationId))
                .header("Content-Type", "application/json").header("X-GitHub-Event", event).header("X-GitHub-Delivery", deliveryId)
                .header("X-Hub-Signature-256", "sha256=" + WebhookSignatures.hmacSha256Hex(secret, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        try {
            HttpResponse<String> response = server.client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.body().isBlank() ? null : server.json.readTree(response.body()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void verifiesRecordsAndSkipsWhatShouldNotDeploy() throws Exception {
        try (ServerFixture server = new ServerFixture(data)) {
            String token = server.login("ada@example.com", "correct horse");
            Answer app = server.post("/applications", token, "{\"name\":\"hooked\",\"git_url\":\"https://git.example.com/h.git\"}");
            String id = app.json().path("id").asText();
            Answer webhook = server.post("/applications/" + id + "/webhooks", token, "{\"provider\":\"github\"}");
            String secret = webhook.json().path("secret").asText();
            assertThat(secret).hasSize(64);
            assertThat(server.get("/applications/" + id + "/webhooks", token).body()).doesNotContain(secret);
            String sha = "1111111111111111111111111111111111111111";

            Answer forged = deliver(server, id, "wrong-secret", "push", push("main", sha), "d-forged");
            assertThat(forged.status()).isEqualTo(401);
            byte[] signed = push("main", sha).getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> tampered = server.client.send(HttpRequest.newBuilder(server.uri("/webhooks/github?app_id=" + id))
                    .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", "d-tampered")
                    .header("X-Hub-Signature-256", "sha256=" + WebhookSignatures.hmacSha256Hex(secret, signed))
                    .POST(HttpRequest.BodyPublishers.ofString(push("main", sha).replace("change", "chang3"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tampered.statusCode()).isEqualTo(401);
            assertThat(deliver(server, id, secret, "push", "not json at all", "d-garbage").status()).isEqualTo(400);
            assertThat(deliver(server, id, secret, "ping", "{\"zen\":\"Keep it logically awesome.\"}", "d-ping").json()
                    .path("status").asText()).isEqualTo("SKIPPED");
            assertThat(deliver(server, id, secret, "push", push("feature", sha), "d-other").json().path("reason").asText())
                    .contains("feature");
            assertThat(deliver(server, id, secret, "push", "{\"ref\":\"refs/tags/v1\",\"after\":\"" + sha + "\"}", "d-tag")
                    .json().path("reason").asText()).contains("tag");
            assertThat(deliver(server, id, secret, "push", "{\"ref\":\"refs/heads/main\",\"after\":\"0000000000000000000000000000000000000000\","
                    + "\"deleted\":true}", "d-delete").json().path("reason").asText()).contains("deleted");
            Answer disabled = server.send("PUT", "/applications/" + id + "/webhooks", token, "{\"enabled\":false}");
            assertThat(disabled.status()).isEqualTo(200);
            assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
            assertThat(disabled.body()).doesNotContain(secret);
            assertThat(deliver(server, id, secret, "push", push("main", sha), "d-disabled").json().path("reason").asText())
                    .contains("disabled");
            assertThat(server.send("PUT", "/applications/" + id + "/webhooks", token, "{\"enabled\":\"yes\"}").errorField())
                    .isEqualTo("enabled");
            assertThat(server.send("PUT", "/applications/" + id + "/webhooks", token, "{}").errorField()).isEqualTo("enabled");
            assertThat(server.get("/applications/" + id + "/webhooks", token).json().path("enabled").asBoolean()).isFalse();
            assertThat(server.send("PUT", "/applications/" + id + "/webhooks", token, "{\"enabled\":true}").json()
                    .path("enabled").asBoolean()).isTrue();
            server.send("PUT", "/applications/" + id, token, "{\"auto_deploy\":false}");
            assertThat(deliver(server, id, secret, "push", push("main", sha), "d-off").json().path("reason").asText()).contains("auto-deploy");
            assertThat(deliver(server, id, secret, "push", push("main", sha), "d-off").json().path("reason").asText()).contains("duplicate");

            assertThat(server.post("/webhooks/gitlab?app_id=" + id, null, "{}").status()).isEqualTo(404);
            assertThat(server.post("/webhooks/svn?app_id=" + id, null, "{}").status()).isEqualTo(404);
            assertThat(server.post("/webhooks/github", null, "{}").errorField()).isEqualTo("app_id");
            assertThat(server.send("POST", "/webhooks/github?app_id=" + id, null,
                    HttpRequest.BodyPublishers.ofByteArray(new byte[26 * 1024 * 1024]), "application/json").status()).isEqualTo(413);

            List<WebhookDelivery> deliveries = server.ployer.webhooks().deliveries(id, 100);
            assertThat(deliveries).extracting(WebhookDelivery::status).contains(WebhookDeliveryStatus.FAILED, WebhookDeliveryStatus.SKIPPED)
                    .doesNotContain(WebhookDeliveryStatus.SUCCESS);
            assertThat(deliveries).filteredOn(delivery -> "d-forged".equals(delivery.deliveryId())).singleElement()
                    .satisfies(delivery -> assertThat(delivery.reason()).contains("does not match"));
            assertThat(server.ployer.deployments().list(DeploymentQuery.forApplication(id))).isEmpty();
        }
    }

    @Test
    void aPushIsServedThroughCaddyAndABurstCoalesces() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            Map<String, String> config = Map.of("proxy", "caddy", "proxy.admin-address", caddy.adminAddress(),
                    "proxy.http-port", String.valueOf(caddy.httpPort()), "proxy.listen-host", "127.0.0.1", "proxy.http-only", "true",
                    "domains.base", "hooks.test", "deploy.drain-period", "1s");
            Repo repo = repo(data.resolve("repo"));
            repo.commit("v1", "");
            String id = null;
            String repoUrl = repo.directory().toUri().toString();
            try (ServerFixture server = new ServerFixture(data.resolve("server"), Clock.systemUTC(), config)) {
                String token = server.login("ada@example.com", "correct horse");
                id = server.post("/applications", token, "{\"name\":\"pushy\",\"git_url\":\"" + repoUrl + "\"}")
                        .json().path("id").asText();
                String secret = server.post("/applications/" + id + "/webhooks", token, "{\"provider\":\"github\"}").json()
                        .path("secret").asText();
                Deployment first = server.ployer.deployments().awaitCompletion(
                        server.ployer.deployments().deploy(io.ployer.api.deployment.DeploymentRequest.of(id)).id(), Duration.ofMinutes(3));
                assertThat(first.status()).as(String.valueOf(first)).isEqualTo(DeploymentStatus.RUNNING);

                RevCommit v2 = repo.commit("v2", "");
                Answer receipt = deliver(server, id, secret, "push", push("main", v2.name(), repoUrl), "push-v2");
                assertThat(receipt.status()).as(receipt.body()).isEqualTo(202);
                Deployment pushed = server.ployer.deployments().awaitCompletion(receipt.json().path("deployment_id").asText(),
                        Duration.ofMinutes(3));
                assertThat(pushed.status()).isEqualTo(DeploymentStatus.RUNNING);
                assertThat(pushed.commitSha()).isEqualTo(v2.name());
                HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + caddy.httpPort() + "/version.txt")).header("Host", "pushy.hooks.test").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(served.body().strip()).isEqualTo("v2");

                // A burst: a slow build runs while 10 pushes (each delivered 5 times) arrive within a second.
                List<RevCommit> commits = new ArrayList<>();
                commits.add(repo.commit("v3", "RUN sleep 2\n"));
                for (int i = 4; i <= 12; i++) {
                    commits.add(repo.commit("v" + i, "RUN sleep 2\n"));
                }
                int before = server.ployer.deployments().list(DeploymentQuery.forApplication(id)).size();
                String appId = id;
                List<CompletableFuture<Answer>> sent = new ArrayList<>();
                long started = System.nanoTime();
                for (int copy = 0; copy < 5; copy++) {
                    for (int i = 0; i < commits.size(); i++) {
                        String sha = commits.get(i).name();
                        String delivery = "burst-" + i;
                        sent.add(CompletableFuture.supplyAsync(() -> deliver(server, appId, secret, "push", push("main", sha, repoUrl), delivery)));
                    }
                }
                for (CompletableFuture<Answer> answer : sent) {
                    assertThat(answer.get(30, TimeUnit.SECONDS).status()).isLessThan(300);
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
                assertThat(server.get("/health", null).status()).isEqualTo(200);
                List<WebhookDelivery> burst = server.ployer.webhooks().deliveries(id, 1000).stream()
                        .filter(delivery -> delivery.deliveryId() != null && delivery.deliveryId().startsWith("burst-")).toList();
                assertThat(burst).hasSize(50);
                assertThat(burst).filteredOn(delivery -> delivery.status() == WebhookDeliveryStatus.SUCCESS).hasSize(10);
                List<Deployment> created = server.ployer.deployments().list(DeploymentQuery.forApplication(id));
                assertThat(created.size() - before).isBetween(1, 2);
                Deployment last = server.ployer.deployments().awaitCompletion(created.get(0).id(), Duration.ofMinutes(3));
                assertThat(last.status()).isEqualTo(DeploymentStatus.RUNNING);
                assertThat(last.commitSha()).isEqualTo(commits.get(commits.size() - 1).name());
            } finally {
                removeContainersOf(id);
            }
        }
    }

    private static void removeContainersOf(String applicationId) {
        if (applicationId == null) {
            return;
        }
        try (ContainerRuntime docker = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .flatMap(plugin -> plugin.containerRuntimeFactories().stream()).findFirst().orElseThrow()
                .create(Map.of(), new PluginContext() {
                })) {
            for (ContainerInfo container : docker.listContainers(Map.of(ContainerRuntime.LABEL_APP, applicationId), true)) {
                docker.removeContainer(container.id(), true);
            }
        }
    }
}
