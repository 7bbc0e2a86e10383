package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.server.ServerFixture.Answer;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Environment;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** register → login → app → env var → domain → deploy → follow it over the WebSocket → fetch through Caddy. */
class FullFlowIT {
    @TempDir
    Path data;

    @Test
    @SuppressWarnings("try") // closes the SSH banner's socket inside its try on purpose, to bind the port again later
    void aPersonDeploysAnAppThroughTheApi() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            Map<String, String> config = Map.of("proxy", "caddy", "proxy.admin-address", caddy.adminAddress(),
                    "proxy.http-port", String.valueOf(caddy.httpPort()), "proxy.listen-host", "127.0.0.1", "proxy.http-only", "true",
                    "stats.interval", "1s", "servers.check-interval", "500ms");
            Path repository = data.resolve("repo");
            try (Git git = Git.init().setDirectory(repository.toFile()).setInitialBranch("main").call()) {
                Files.writeString(repository.resolve("Dockerfile"), "FROM ployer/busybox:latest\nRUN sleep 1\n"
                        + "CMD [\"sh\", \"-c\", \"mkdir -p /www && echo \\\"$GREETING\\\" > /www/index.html && exec httpd -f -p 8080 -h /www\"]\n");
                git.add().addFilepattern(".").call();
                git.commit().setMessage("flow").setAuthor("Ada", "ada@example.com").setCommitter("Ada", "ada@example.com").call();
            }
            String applicationId = null;
            try (ServerFixture server = new ServerFixture(data.resolve("server"), Clock.systemUTC(), config)) {
                String token = server.login("ada@example.com", "correct horse battery");
                Answer created = server.post("/applications", token, "{\"name\":\"flow\",\"git_url\":\"" + repository.toUri() + "\"}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                applicationId = created.json().path("id").asText();
                String app = "/applications/" + applicationId;
                assertThat(server.post(app + "/envs", token, "{\"key\":\"GREETING\",\"value\":\"hello through the API\"}").status())
                        .isEqualTo(201);
                assertThat(server.post(app + "/domains", token, "{\"domain\":\"flow.example.test\"}").status()).isEqualTo(201);

                LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
                WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + server.server.port() + "/api/v1/ws"), new WebSocket.Listener() {
                            private final StringBuilder partial = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence text, boolean last) {
                                partial.append(text);
                                if (last) {
                                    try {
                                        messages.add(server.json.readTree(partial.toString()));
                                    } catch (java.io.IOException e) {
                                        throw new IllegalStateException(e);
                                    }
                                    partial.setLength(0);
                                }
                                webSocket.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
                socket.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", true).get(5, TimeUnit.SECONDS);
                assertThat(messages.poll(10, TimeUnit.SECONDS).path("type").asText()).isEqualTo("authenticated");

                Answer deploy = server.post(app + "/deploy", token, "{}");
                assertThat(deploy.status()).as(deploy.body()).isEqualTo(202);
                String deploymentId = deploy.json().path("id").asText();
                socket.sendText("{\"type\":\"subscribe\",\"topic\":\"deployment:" + deploymentId + "\"}", true).get(5, TimeUnit.SECONDS);

                List<String> statuses = new CopyOnWriteArrayList<>();
                boolean sawLogLine = false;
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (System.nanoTime() < deadline && !statuses.contains("RUNNING") && !statuses.contains("FAILED")) {
                    JsonNode message = messages.poll(5, TimeUnit.SECONDS);
                    if (message == null || !"event".equals(message.path("type").asText())) {
                        continue;
                    }
                    if (message.path("event").asText().equals("deployment.status")) {
                        statuses.add(message.path("data").path("to").asText());
                    } else if (message.path("event").asText().equals("deployment.log")) {
                        sawLogLine = true;
                    }
                }
                assertThat(statuses).as(server.get("/deployments/" + deploymentId + "/logs", token).body()).contains("RUNNING");
                assertThat(sawLogLine).isTrue();

                // The app's health checks and stats, and a server's status, arrive on their topics.
                socket.sendText("{\"type\":\"subscribe\",\"topic\":\"app:" + applicationId + "\"}", true).get(5, TimeUnit.SECONDS);
                Answer check = server.post(app + "/health-check", token, "{\"path\":\"/\",\"interval_seconds\":1,\"start_period_seconds\":0}");
                assertThat(check.status()).as(check.body()).isBetween(200, 201);
                try (java.net.ServerSocket sshBanner = new java.net.ServerSocket()) {
                    sshBanner.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
                    int sshPort = sshBanner.getLocalPort();
                    sshBanner.close(); // nothing listens yet: the server is OFFLINE until the banner below answers
                    Answer remote = server.post("/servers", token, "{\"name\":\"far\",\"host\":\"127.0.0.1\",\"port\":" + sshPort + "}");
                    assertThat(remote.status()).as(remote.body()).isEqualTo(201);
                    String serverId = remote.json().path("id").asText();
                    socket.sendText("{\"type\":\"subscribe\",\"topic\":\"server:" + serverId + "\"}", true).get(5, TimeUnit.SECONDS);
                    Thread banner = new Thread(() -> {
                        try (java.net.ServerSocket listening = new java.net.ServerSocket(sshPort, 50, java.net.InetAddress.getLoopbackAddress())) {
                            listening.setSoTimeout(60_000);
                            while (!Thread.currentThread().isInterrupted()) {
                                try (java.net.Socket client = listening.accept()) {
                                    client.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                                }
                            }
                        } catch (java.io.IOException stopped) {
                            // the test is over
                        }
                    });
                    banner.setDaemon(true);
                    banner.start();
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    List<String> wanted = List.of("app.health_check", "app.stats", "server.status");
                    long streamDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (System.nanoTime() < streamDeadline && !seen.containsAll(wanted)) {
                        JsonNode message = messages.poll(5, TimeUnit.SECONDS);
                        if (message == null || !"event".equals(message.path("type").asText())) {
                            continue;
                        }
                        String event = message.path("event").asText();
                        String topic = message.path("topic").asText();
                        if (event.startsWith("app.")) {
                            assertThat(topic).isEqualTo("app:" + applicationId);
                        }
                        if (event.equals("server.status")) {
                            assertThat(topic).isEqualTo("server:" + serverId);
                            if (!message.path("data").path("to").asText().equals("ONLINE")) {
                                continue;
                            }
                        }
                        seen.add(event);
                    }
                    banner.interrupt();
                    assertThat(seen).containsAll(wanted);
                }
                socket.abort();

                HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + caddy.httpPort() + "/")).header("Host", "flow.example.test").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(served.statusCode()).isEqualTo(200);
                assertThat(served.body().strip()).isEqualTo("hello through the API");
                assertThat(server.get("/health", null).json().path("status").asText()).isEqualTo("ok");

                // stop: the route goes, the app is STOPPED; start: it serves again
                Answer stopped = server.post(app + "/stop", token, null);
                assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
                assertThat(stopped.json().path("status").asText()).isEqualTo("STOPPED");
                assertThat(served("flow.example.test", caddy.httpPort())).isNotEqualTo("hello through the API");
                Answer started = server.post(app + "/start", token, null);
                assertThat(started.status()).as(started.body()).isEqualTo(200);
                assertThat(started.json().path("status").asText()).isEqualTo("RUNNING");
                long servedDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                String again = served("flow.example.test", caddy.httpPort());
                while (!again.equals("hello through the API") && System.nanoTime() < servedDeadline) {
                    Thread.sleep(100);
                    again = served("flow.example.test", caddy.httpPort());
                }
                assertThat(again).isEqualTo("hello through the API");
            } finally {
                removeContainersOf(applicationId);
            }
        }
    }

    @Test
    void theStreamRefusesAClientThatDoesNotAuthenticate() throws Exception {
        try (ServerFixture server = new ServerFixture(data)) {
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.server.port() + "/api/v1/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closed.complete(statusCode);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            socket.sendText("{\"type\":\"subscribe\",\"topic\":\"app:anything\"}", true);
            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
            CompletableFuture<Integer> refused = new CompletableFuture<>();
            WebSocket wrongToken = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.server.port() + "/api/v1/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            refused.complete(statusCode);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            wrongToken.sendText("{\"type\":\"auth\",\"token\":\"forged\"}", true);
            assertThat(refused.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        }
    }

    private static String served(String host, int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Host", host).build(), HttpResponse.BodyHandlers.ofString()).body().strip();
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
