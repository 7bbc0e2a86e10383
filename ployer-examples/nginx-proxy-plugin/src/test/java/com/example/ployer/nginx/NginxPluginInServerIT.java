package com.example.ployer.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.testkit.Environment;
import io.ployer.testkit.FreePorts;
import io.ployer.testkit.HostHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as a server operator uses it: the jar this build made is dropped into the plugins folder of
 * a server started from Ployer's distribution ({@code bin/ployer start}), chosen with
 * {@code PLOYER_PROXY=nginx}, and an application is deployed through it and redeployed under load with
 * no failed request.
 */
class NginxPluginInServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path work;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void deploysAndRedeploysThroughNginxWithNoFailedRequest() throws Exception {
        Environment.requireDocker();
        Path home = unpack();
        Path data = work.resolve("data");
        Path plugins = Files.createDirectories(data.resolve("plugins"));
        Path jar = Path.of(System.getProperty("plugin.jar"));
        assertThat(jar).as("the plugin jar `mvn package` made").exists();
        Files.copy(jar, plugins.resolve(jar.getFileName()));

        int apiPort = FreePorts.next();
        int httpPort = FreePorts.next();
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/ployer").toString(), "start", "--port",
                Integer.toString(apiPort), "--host", "127.0.0.1", "--data-dir", data.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("PLOYER_PROXY", "nginx");
        environment.put("PLOYER_PROXY_HTTP_PORT", Integer.toString(httpPort));
        environment.put("PLOYER_PROXY_CONTROL_PORT", Integer.toString(FreePorts.next()));
        environment.put("PLOYER_PROXY_STOP_ON_CLOSE", "true");
        environment.put("PLOYER_DOMAINS_BASE", "nginx.test");
        environment.put("PLOYER_GIT_ALLOW_FILE_URLS", "true");
        environment.put("PLOYER_DEPLOY_DRAIN_PERIOD", "2s");
        environment.put("PLOYER_METRICS_PORT", "off");
        Process server = builder.start();
        String base = "http://127.0.0.1:" + apiPort + "/api/v1";
        String app = null;
        String token = null;
        try {
            awaitHealth(base, server);
            send("POST", base + "/auth/register", null, "{\"email\":\"ops@example.com\",\"password\":\"a long passphrase\"}");
            token = send("POST", base + "/auth/login", null,
                    "{\"email\":\"ops@example.com\",\"password\":\"a long passphrase\"}").path("token").asText();
            JsonNode listed = send("GET", base + "/plugins", token, null);
            assertThat(listed.toString()).as("GET /plugins").contains("nginx");

            Path repository = repository("v1");
            String name = "nginx-demo-" + UUID.randomUUID().toString().substring(0, 6);
            String host = name + ".nginx.test";
            app = send("POST", base + "/applications", token,
                    "{\"name\":\"" + name + "\",\"git_url\":\"" + repository.toUri() + "\"}").path("id").asText();
            assertThat(deploy(base, app, token)).isEqualTo("RUNNING");
            assertThat(HostHttp.get(httpPort, host, "/").body()).as(log()).contains("version v1");

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger requests = new AtomicInteger();
            List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            Set<String> seen = ConcurrentHashMap.newKeySet();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    requests.incrementAndGet();
                    try {
                        HostHttp.Response response = HostHttp.get(httpPort, host, "/");
                        if (response.status() != 200) {
                            failures.add("HTTP " + response.status());
                        } else {
                            seen.add(response.body().strip());
                        }
                    } catch (UncheckedIOException e) {
                        failures.add(e.getMessage());
                    }
                }
            });
            commit(repository, "v2");
            assertThat(deploy(base, app, token)).isEqualTo("RUNNING");
            Instant deadline = Instant.now().plusSeconds(30);
            while (!seen.contains("version v2") && Instant.now().isBefore(deadline)) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            // keep the load on through the old container's drain period and its removal
            TimeUnit.SECONDS.sleep(4);
            running.set(false);
            load.get(60, TimeUnit.SECONDS);
            System.out.printf("redeploy through nginx: %d requests, %d failed%n", requests.get(), failures.size());
            assertThat(requests.get()).isGreaterThan(50);
            assertThat(failures).as("failed requests of %d", requests.get()).isEmpty();
            assertThat(seen).contains("version v1", "version v2");
            assertThat(HostHttp.get(httpPort, host, "/").body()).contains("version v2");
        } finally {
            if (app != null && token != null) {
                send("DELETE", base + "/applications/" + app, token, null);
            }
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
        }
    }

    private Path unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("ployer.distribution"));
        assertThat(tarball).as("Ployer's distribution (build it first: mvn -pl ployer-dist -am package)").exists();
        run(List.of("tar", "-xzf", tarball.toString(), "-C", work.toString()));
        return work.resolve("ployer-" + System.getProperty("ployer.version"));
    }

    private Path repository(String version) throws Exception {
        Path repository = Files.createDirectories(work.resolve("repo"));
        run(List.of("git", "-C", repository.toString(), "init", "-q", "-b", "main"));
        commit(repository, version);
        return repository;
    }

    private void commit(Path repository, String version) throws Exception {
        Files.writeString(repository.resolve("Dockerfile"), "FROM ployer/busybox:latest\n"
                + "RUN mkdir -p /www && echo 'version " + version + "' > /www/index.html\n"
                + "CMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
        run(List.of("git", "-C", repository.toString(), "add", "."));
        run(List.of("git", "-C", repository.toString(), "-c", "user.name=Ops", "-c", "user.email=ops@example.com",
                "commit", "-q", "-m", version));
    }

    private String deploy(String base, String app, String token) throws Exception {
        String deployment = send("POST", base + "/applications/" + app + "/deploy", token, null).path("id").asText();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        JsonNode state = null;
        while (Instant.now().isBefore(deadline)) {
            state = send("GET", base + "/deployments/" + deployment, token, null);
            String status = state.path("status").asText();
            if (Set.of("RUNNING", "FAILED", "CANCELLED").contains(status)) {
                assertThat(status).as(state + log()).isEqualTo("RUNNING");
                return status;
            }
            TimeUnit.MILLISECONDS.sleep(300);
        }
        throw new AssertionError("the deployment did not end: " + state + log());
    }

    private JsonNode send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + url + ": " + response.body()).isBetween(200, 299);
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private void awaitHealth(String base, Process server) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline) && server.isAlive()) {
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            server.waitFor(250, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the server did not answer (alive: " + server.isAlive() + ")" + log());
    }

    private String log() {
        try {
            Path log = work.resolve("server.log");
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            return "\n--- server log ---\n" + text.substring(Math.max(0, text.length() - 6000));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
    }
}
