package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.server.ServerFixture.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may read container output (one rule for REST and the WebSocket) and who may reveal secrets,
 * over real HTTP and a real WebSocket.
 */
class AccessRulesTest {
    @TempDir
    Path data;

    @Test
    void containerLogsAreForAdminsOnlyOverRestAndWebSocketAlike() throws Exception {
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            String user = server.login("user@example.com", "user-password");

            // The rule is checked before the container is looked up: no container (nor Docker) is needed.
            Answer rest = server.get("/containers/some-container/logs", user);
            assertThat(rest.status()).isEqualTo(403);
            assertThat(rest.errorCode()).isEqualTo("PERMISSION_DENIED");
            assertThat(rest.json().path("error").path("message").asText()).contains("only an admin may read container logs");
            // An admin passes the rule (what follows depends on Docker: the container is not found, or Docker is away).
            assertThat(server.get("/containers/some-container/logs", admin).status()).isNotIn(401, 403);

            JsonNode refusal = firstError(server, user, "container:some-container");
            assertThat(refusal.path("error").path("code").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(refusal.path("error").path("message").asText()).isEqualTo(rest.json().path("error").path("message").asText());
            JsonNode adminAnswer = firstError(server, admin, "container:some-container");
            assertThat(adminAnswer.path("error").path("code").asText()).isNotEqualTo("PERMISSION_DENIED");
        }
    }

    @Test
    void revealingSecretsNeedsAnAdminWhoseCredentialMayWrite() {
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            String user = server.login("user@example.com", "user-password");
            String readOnly = server.post("/auth/api-keys", admin, "{\"name\":\"dashboard\",\"scopes\":[\"read\"]}").json()
                    .path("key").asText();
            String writer = server.post("/auth/api-keys", admin, "{\"name\":\"ops\",\"scopes\":[\"read\",\"write\"]}").json()
                    .path("key").asText();
            String app = "/applications/" + server.post("/applications", admin,
                    "{\"name\":\"vault\",\"git_url\":\"https://git.example.com/v.git\"}").json().path("id").asText();
            server.post(app + "/envs", admin, "{\"key\":\"API_TOKEN\",\"value\":\"s3cret-value-42\"}");

            Answer readOnlyReveal = server.get(app + "/envs?reveal=true", readOnly);
            assertThat(readOnlyReveal.status()).isEqualTo(403);
            assertThat(readOnlyReveal.errorCode()).isEqualTo("PERMISSION_DENIED");
            assertThat(readOnlyReveal.json().path("error").path("message").asText()).contains("'write' scope");
            assertThat(readOnlyReveal.body()).doesNotContain("s3cret-value-42");
            Answer userReveal = server.get(app + "/envs?reveal=true", user);
            // A user with no role in the application's project does not see it at all (ProjectPermissionsTest).
            assertThat(userReveal.status()).isEqualTo(404);
            assertThat(userReveal.body()).doesNotContain("s3cret-value-42");

            // The read-only key still lists the masked values.
            Answer masked = server.get(app + "/envs", readOnly);
            assertThat(masked.status()).isEqualTo(200);
            assertThat(masked.body()).contains("API_TOKEN").doesNotContain("s3cret-value-42");

            assertThat(server.get(app + "/envs?reveal=true", writer).body()).contains("s3cret-value-42");
            assertThat(server.get(app + "/envs?reveal=true", admin).body()).contains("s3cret-value-42");
        }
    }

    /** Authenticates over the WebSocket, subscribes to {@code topic}, returns the first error message. */
    private static JsonNode firstError(ServerFixture server, String token, String topic) throws Exception {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
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
        try {
            socket.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", true).get(5, TimeUnit.SECONDS);
            socket.sendText("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}", true).get(5, TimeUnit.SECONDS);
            while (true) {
                String message = messages.poll(30, TimeUnit.SECONDS);
                assertThat(message).as("an answer to the subscription").isNotNull();
                JsonNode parsed = server.json.readTree(message);
                if (parsed.path("type").asText().equals("error")) {
                    return parsed;
                }
                assertThat(parsed.path("type").asText()).as(message).isIn("authenticated", "subscribed");
                if (parsed.path("type").asText().equals("subscribed")) {
                    return parsed;
                }
            }
        } finally {
            socket.abort();
        }
    }
}
