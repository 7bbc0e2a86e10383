package io.ployer.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.testkit.Environment;
import io.ployer.testkit.FreePorts;
import java.io.IOException;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's container image, built from the distribution with its own Dockerfile on a local JRE
 * base image, run with the host's Docker socket and host networking as the Dockerfile says, deploys
 * an application from a git repository: the app's container runs on the host's engine and answers
 * on the host's loopback.
 */
class ContainerImageIT {
    private static final String BASE_IMAGE = "ployer/jre17:latest";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void theServerImageDeploysAnAppThroughTheHostsDocker() throws Exception {
        Environment.requireImage(BASE_IMAGE);
        Environment.requireImage("ployer/busybox:latest");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String image = "ployer/server-it:" + suffix;
        String container = "ployer-server-it-" + suffix;
        Path context = unpack();
        run(List.of("docker", "build", "-q", "--build-arg", "BASE_IMAGE=" + BASE_IMAGE, "-t", image, context.toString()), 600);
        Path repository = repository();
        Path data = Files.createDirectories(work.resolve("data"));
        int port = FreePorts.next();
        try {
            run(List.of("docker", "run", "-d", "--name", container, "--network", "host",
                    "-v", "/var/run/docker.sock:/var/run/docker.sock", "-v", data + ":/var/lib/ployer",
                    "-v", repository + ":" + repository + ":ro",
                    "-e", "PLOYER_PORT=" + port, "-e", "PLOYER_METRICS_PORT=off", "-e", "PLOYER_GIT_ALLOW_FILE_URLS=true",
                    image), 120);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + port + "/api/v1";
            awaitHealth(client, base, container);
            send(client, "POST", base + "/auth/register", null, "{\"email\":\"ops@example.com\",\"password\":\"a long passphrase\"}");
            String token = send(client, "POST", base + "/auth/login", null,
                    "{\"email\":\"ops@example.com\",\"password\":\"a long passphrase\"}").path("token").asText();
            String app = send(client, "POST", base + "/applications", token,
                    "{\"name\":\"boxed-" + suffix + "\",\"git_url\":\"" + repository.toUri() + "\"}").path("id").asText();
            try {
                String deployment = send(client, "POST", base + "/applications/" + app + "/deploy", token, null).path("id").asText();
                JsonNode finished = awaitEnd(client, base + "/deployments/" + deployment, token);
                assertThat(finished.path("status").asText()).as(finished.toString() + logs(container)).isEqualTo("RUNNING");
                String endpoint = finished.path("endpoint").asText();
                HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.body()).contains("served by an app Ployer deployed from its container");
            } finally {
                send(client, "DELETE", base + "/applications/" + app, token, null);
            }
        } finally {
            run(List.of("docker", "rm", "-f", container), 60);
            run(List.of("docker", "rmi", "-f", image), 60);
        }
    }

    private Path unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("ployer.distribution", "target/ployer-dist.tar.gz"));
        run(List.of("tar", "-xzf", tarball.toString(), "-C", work.toString()), 60);
        Path home = work.resolve("ployer-" + System.getProperty("ployer.version"));
        assertThat(home.resolve("Dockerfile")).as("the distribution carries its Dockerfile").exists();
        return home;
    }

    private Path repository() throws Exception {
        Path repository = Files.createDirectories(work.resolve("repo"));
        Files.writeString(repository.resolve("Dockerfile"), "FROM ployer/busybox:latest\n"
                + "RUN mkdir -p /www && echo 'served by an app Ployer deployed from its container' > /www/index.html\n"
                + "CMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
        run(List.of("git", "-C", repository.toString(), "init", "-q", "-b", "main"), 30);
        run(List.of("git", "-C", repository.toString(), "add", "."), 30);
        run(List.of("git", "-C", repository.toString(), "-c", "user.name=Ops", "-c", "user.email=ops@example.com",
                "commit", "-q", "-m", "boxed"), 30);
        return repository;
    }

    private static JsonNode send(HttpClient client, String method, String url, String token, String body) throws Exception {
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

    private static void awaitHealth(HttpClient client, String base, String container) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!run(List.of("docker", "inspect", "-f", "{{.State.Running}}", container), 30).trim().equals("true")) {
                throw new AssertionError("the server's container stopped:\n" + logs(container));
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new AssertionError("the server in its container did not answer within 120 s:\n" + logs(container));
    }

    private static JsonNode awaitEnd(HttpClient client, String url, String token) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        JsonNode deployment = null;
        while (Instant.now().isBefore(deadline)) {
            deployment = send(client, "GET", url, token, null);
            String status = deployment.path("status").asText();
            if (status.equals("RUNNING") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return deployment;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return deployment;
    }

    private static String logs(String container) {
        try {
            Process logs = new ProcessBuilder("docker", "logs", "--tail", "60", container).redirectErrorStream(true).start();
            String text = new String(logs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            logs.waitFor(30, TimeUnit.SECONDS);
            return "\n--- server log ---\n" + text;
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private static String run(List<String> command, int seconds) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }
}
