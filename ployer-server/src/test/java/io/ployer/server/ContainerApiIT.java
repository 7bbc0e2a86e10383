package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.server.ServerFixture.Answer;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.container.ContainerRequest;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.ployer.testkit.Environment;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers, networks and volumes over the API against the real dockerd. */
class ContainerApiIT {
    @Test
    void adminsFollowContainerLogsOverTheStream() throws Exception {
        Environment.requireDocker();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            String user = server.login("user@example.com", "user-password");
            ContainerRequest ticking = new ContainerRequest("ticker-" + suffix,
                    "ployer/busybox:latest", Map.of(), null, null, null, null);
            // busybox without a command runs sh, which exits at once; create it through the runtime SPI with a loop instead.
            try (ContainerRuntime docker = ServiceLoader.load(PloyerPlugin.class).stream()
                    .map(ServiceLoader.Provider::get).flatMap(plugin -> plugin.containerRuntimeFactories().stream())
                    .findFirst().orElseThrow().create(Map.of(), new PluginContext() {
                    })) {
                String id = docker.createContainer(new ContainerSpec(ticking.name(), ticking.image(),
                        Map.of(), 0, Map.of(ContainerRuntime.LABEL_MANAGED, "true"), null,
                        RestartPolicy.NO,
                        List.of("sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done"), null));
                docker.startContainer(id);
                try {
                    LinkedBlockingQueue<String> adminMessages = new LinkedBlockingQueue<>();
                    WebSocket adminSocket = socket(server, adminMessages);
                    adminSocket.sendText("{\"type\":\"auth\",\"token\":\"" + admin + "\"}", true).get(5, TimeUnit.SECONDS);
                    adminSocket.sendText("{\"type\":\"subscribe\",\"topic\":\"container:" + id + "\"}", true);
                    String line = null;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                    while (line == null && System.nanoTime() < deadline) {
                        String message = adminMessages.poll(1, TimeUnit.SECONDS);
                        if (message != null && message.contains("container.log")) {
                            line = message;
                        }
                    }
                    assertThat(line).contains("tick");
                    adminSocket.abort();

                    LinkedBlockingQueue<String> userMessages = new LinkedBlockingQueue<>();
                    WebSocket userSocket = socket(server, userMessages);
                    userSocket.sendText("{\"type\":\"auth\",\"token\":\"" + user + "\"}", true).get(5, TimeUnit.SECONDS);
                    userSocket.sendText("{\"type\":\"subscribe\",\"topic\":\"container:" + id + "\"}", true);
                    String refusal = null;
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (refusal == null && System.nanoTime() < deadline) {
                        String message = userMessages.poll(1, TimeUnit.SECONDS);
                        if (message != null && message.contains("\"error\"")) {
                            refusal = message;
                        }
                    }
                    assertThat(refusal).contains("only an admin");
                    userSocket.abort();
                } finally {
                    docker.removeContainer(id, true);
                }
            }
        }
    }

    private static WebSocket socket(ServerFixture server, BlockingQueue<String> messages)
            throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + server.server.port() + "/api/v1/ws"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence text, boolean last) {
                        partial.append(text);
                        if (last) {
                            messages.add(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    @TempDir
    Path data;

    @Test
    void managesContainersNetworksAndVolumes() {
        Environment.requireDocker();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            String user = server.login("user@example.com", "user-password");

            Answer created = server.post("/containers", admin, "{\"name\":\"api-" + suffix + "\",\"image\":\"ployer/busybox:latest\","
                    + "\"environment\":{\"WORD\":\"hi\"},\"port\":8080}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().path("id").asText();
            try {
                assertThat(created.body()).doesNotContain("\"hi\"");
                assertThat(server.get("/containers/" + id, user).json().path("name").asText()).isEqualTo("api-" + suffix);
                assertThat(server.get("/containers?all=true", user).body()).contains(id);
                // Container output is for admins only, as on the WebSocket.
                assertThat(server.get("/containers/" + id + "/logs?tail=5", user).status()).isEqualTo(403);
                assertThat(server.get("/containers/" + id + "/logs?tail=5", admin).status()).isEqualTo(200);
                assertThat(server.post("/containers/" + id + "/stop", user, null).status()).isEqualTo(403);
                assertThat(server.post("/containers/" + id + "/stop", admin, null).json().path("running").asBoolean()).isFalse();
                assertThat(server.get("/containers/" + id + "/stats", admin).status()).isEqualTo(409);
                assertThat(server.get("/containers/" + id + "/logs?tail=lots", admin).errorField()).isEqualTo("tail");
            } finally {
                assertThat(server.send("DELETE", "/containers/" + id + "?force=true", admin, null).status()).isEqualTo(204);
            }
            assertThat(server.get("/containers/" + id, admin).status()).isEqualTo(404);
            // a container Ployer did not make is not Ployer's: not listed, not found, not stoppable
            try (ContainerRuntime docker = ServiceLoader.load(PloyerPlugin.class).stream()
                    .map(ServiceLoader.Provider::get).flatMap(plugin -> plugin.containerRuntimeFactories().stream())
                    .findFirst().orElseThrow().create(Map.of(), new PluginContext() {
                    })) {
                String foreign = docker.createContainer(new ContainerSpec("foreign-" + suffix, "ployer/busybox:latest", Map.of(), 0,
                        Map.of("io.ployer.test-foreign", "true"), null, RestartPolicy.NO, List.of("sleep", "60"), null));
                try {
                    docker.startContainer(foreign);
                    assertThat(server.get("/containers?all=true", admin).body()).doesNotContain(foreign);
                    assertThat(server.get("/containers/" + foreign, admin).status()).isEqualTo(404);
                    assertThat(server.post("/containers/" + foreign + "/stop", admin, null).status()).isEqualTo(404);
                    assertThat(docker.inspectContainer(foreign).orElseThrow().running()).isTrue();
                } finally {
                    docker.removeContainer(foreign, true);
                }
            }
            assertThat(server.post("/containers", admin, "{\"name\":\"x\",\"image\":\"not-here/never:1\"}").errorField()).isEqualTo("image");
            assertThat(server.post("/containers", admin, "{\"name\":\"bad name\",\"image\":\"ployer/busybox:latest\"}").errorField())
                    .isEqualTo("name");

            assertThat(server.post("/networks", admin, "{\"name\":\"net-" + suffix + "\"}").status()).isEqualTo(201);
            assertThat(server.get("/networks/net-" + suffix, user).json().path("name").asText()).isEqualTo("net-" + suffix);
            assertThat(server.send("DELETE", "/networks/net-" + suffix, admin, null).status()).isEqualTo(204);
            assertThat(server.get("/networks/net-" + suffix, user).status()).isEqualTo(404);

            assertThat(server.post("/volumes", admin, "{\"name\":\"vol-" + suffix + "\"}").status()).isEqualTo(201);
            assertThat(server.get("/volumes/vol-" + suffix, user).status()).isEqualTo(200);
            assertThat(server.post("/volumes", user, "{\"name\":\"nope-" + suffix + "\"}").status()).isEqualTo(403);
            assertThat(server.send("DELETE", "/volumes/vol-" + suffix, admin, null).status()).isEqualTo(204);
        }
    }
}
