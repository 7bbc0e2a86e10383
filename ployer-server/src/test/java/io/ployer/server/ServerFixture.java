package io.ployer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.api.Ployer;
import io.ployer.server.cli.PloyerCommand;
import io.ployer.server.http.JsonMapper;
import io.ployer.server.wiring.PloyerServer;
import io.ployer.server.http.ServerSettings;
import io.ployer.server.metrics.MetricsSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** A real engine on a real SQLite file behind a real HTTP server on a free loopback port. */
final class ServerFixture implements AutoCloseable {
    final Ployer ployer;
    final PloyerServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = JsonMapper.create();

    ServerFixture(Path data, Clock clock, Map<String, String> config) {
        this(data, clock, config, new ServerSettings(100_000, java.util.List.of("https://dashboard.example.com")));
    }

    ServerFixture(Path data, Clock clock, Map<String, String> config, ServerSettings settings) {
        this(data, clock, config, settings, MetricsSettings.disabled());
    }

    ServerFixture(Path data, Clock clock, Map<String, String> config, ServerSettings settings, MetricsSettings metrics) {
        ployer = Ployer.builder().dataDirectory(data).clock(clock).config("git.allow-file-urls", "true")
                .config(config).build();
        ployer.start();
        server = new PloyerServer(ployer, PloyerCommand.VERSION, settings, metrics);
        server.start("127.0.0.1", 0);
    }

    ServerFixture(Path data) {
        this(data, Clock.systemUTC(), Map.of());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + "/api/v1" + path);
    }

    /** An HTTP answer with its JSON body parsed (or null when empty / not JSON). */
    record Answer(int status, String body, JsonNode json) {
        String errorCode() {
            return json == null ? null : json.path("error").path("code").asText(null);
        }

        String errorField() {
            return json == null ? null : json.path("error").path("field").asText(null);
        }
    }

    Answer send(String method, String path, String token, String body) {
        return send(method, path, token, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body), "application/json");
    }

    Answer send(String method, String path, String token, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", token.startsWith("Bearer ") || token.startsWith("Basic ") ? token : "Bearer " + token);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = null;
            if (!response.body().isBlank()) {
                try {
                    parsed = json.readTree(response.body());
                } catch (IOException notJson) {
                    parsed = null;
                }
            }
            return new Answer(response.statusCode(), response.body(), parsed);
        } catch (IOException e) {
            throw new AssertionError("request " + method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Answer get(String path, String token) {
        return send("GET", path, token, null);
    }

    Answer post(String path, String token, String body) {
        return send("POST", path, token, body);
    }

    /** Registers (when registration allows) and logs in; returns the bearer token. */
    String login(String email, String password) {
        post("/auth/register", null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        Answer answer = post("/auth/login", null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        if (answer.status() != 200) {
            throw new AssertionError("login failed: " + answer);
        }
        return answer.json().path("token").asText();
    }

    @Override
    public void close() {
        server.close();
        ployer.close();
    }
}
