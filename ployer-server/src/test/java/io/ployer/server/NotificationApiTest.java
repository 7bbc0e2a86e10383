package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.server.ServerFixture.Answer;
import io.ployer.testkit.notify.HttpReceiver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notification channels over the API: admins only, secrets accepted and never answered, a test
 * message reaches a real receiver on 127.0.0.1, attempts are listed, bad input is a 400 naming its
 * field, and the endpoints are in the OpenAPI document.
 */
class NotificationApiTest {
    private static final String SLACK_PATH = "/services/T0001/B0001/secretpart0123456789";

    @TempDir
    Path data;

    @Test
    void channelsAreManagedByAdminsTestedAndTheirSecretsNeverAnswered() {
        try (HttpReceiver receiver = HttpReceiver.start();
             ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of())) {
            String admin = server.login("admin@example.com", "admin-password");
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            String user = server.login("user@example.com", "user-password");
            String secretUrl = receiver.url(SLACK_PATH);
            String body = "{\"name\":\"ops\",\"type\":\"slack\",\"events\":[\"DEPLOYMENT_FAILED\",\"HEALTH_DOWN\"],"
                    + "\"config\":{\"url\":\"" + secretUrl + "\"}}";

            assertThat(server.post("/notifications/channels", user, body).status()).isEqualTo(403);
            assertThat(server.get("/notifications/channels", user).status()).isEqualTo(403);
            Answer created = server.post("/notifications/channels", admin, body);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.body()).doesNotContain("secretpart0123456789");
            assertThat(created.json().path("secret_keys").toString()).contains("url");
            assertThat(created.json().path("enabled").asBoolean()).isTrue();
            String id = created.json().path("id").asText();
            assertThat(server.get("/notifications/channels", admin).body()).doesNotContain("secretpart0123456789").contains(id);
            assertThat(server.get("/notifications/channels/" + id, admin).body()).doesNotContain("secretpart0123456789");
            assertThat(server.get("/notifications/types", admin).json().toString())
                    .contains("webhook", "slack", "discord", "telegram", "teams", "email");

            Answer test = server.post("/notifications/channels/" + id + "/test", admin, null);
            assertThat(test.status()).as(test.body()).isEqualTo(200);
            assertThat(test.json().path("status").asText()).isEqualTo("DELIVERED");
            HttpReceiver.Request received = receiver.take(Duration.ofSeconds(5));
            assertThat(received.path()).isEqualTo(SLACK_PATH);
            assertThat(received.text()).contains("\"text\":\"Test message from Ployer");

            // Renamed without the secret: it is kept.
            Answer renamed = server.send("PUT", "/notifications/channels/" + id, admin,
                    "{\"name\":\"ops-renamed\",\"type\":\"slack\",\"events\":[\"DEPLOYMENT_FAILED\"]}");
            assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
            receiver.failNext(1, 410);
            Answer failed = server.post("/notifications/channels/" + id + "/test", admin, null);
            assertThat(failed.json().path("status").asText()).isEqualTo("FAILED");
            assertThat(failed.json().path("error").asText()).contains("HTTP 410").doesNotContain("secretpart0123456789");

            JsonNode deliveries = server.get("/notifications/deliveries?channel_id=" + id, admin).json();
            assertThat(deliveries).hasSize(2);
            assertThat(deliveries.get(0).path("status").asText()).isEqualTo("FAILED");
            assertThat(deliveries.get(1).path("status").asText()).isEqualTo("DELIVERED");
            assertThat(server.get("/notifications/deliveries?limit=1", admin).json()).hasSize(1);

            assertThat(server.send("DELETE", "/notifications/channels/" + id, admin, null).status()).isEqualTo(204);
            assertThat(server.get("/notifications/channels/" + id, admin).status()).isEqualTo(404);
        }
    }

    @Test
    void badChannelsAreRefusedNamingTheField() {
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of())) {
            String admin = server.login("admin@example.com", "admin-password");
            assertThat(server.post("/notifications/channels", admin, "{\"name\":\"x\",\"type\":\"pager\",\"events\":[\"HEALTH_DOWN\"]}")
                    .errorField()).isEqualTo("type");
            assertThat(server.post("/notifications/channels", admin, "{\"name\":\"x\",\"type\":\"slack\",\"events\":[\"SOMETIMES\"]}")
                    .errorField()).isEqualTo("events[0]");
            assertThat(server.post("/notifications/channels", admin, "{\"name\":\"x\",\"type\":\"slack\",\"events\":[]}")
                    .errorField()).isEqualTo("events");
            Answer badConfig = server.post("/notifications/channels", admin,
                    "{\"name\":\"x\",\"type\":\"telegram\",\"events\":[\"HEALTH_DOWN\"],\"config\":{\"token\":\"nope\"}}");
            assertThat(badConfig.status()).isEqualTo(400);
            assertThat(badConfig.errorField()).isEqualTo("config");
            assertThat(badConfig.json().path("error").path("message").asText()).contains("chat-id: required").doesNotContain("nope");
            assertThat(server.post("/notifications/channels", admin,
                    "{\"name\":\"x\",\"type\":\"slack\",\"events\":[\"HEALTH_DOWN\"],\"config\":{\"url\":5}}").status()).isEqualTo(400);
            assertThat(server.get("/notifications/deliveries?limit=0", admin).errorField()).isEqualTo("limit");
            assertThat(server.post("/notifications/channels/nope/test", admin, null).status()).isEqualTo(404);
            assertThat(server.get("/notifications/channels", admin).json()).isEmpty();

            JsonNode paths = server.get("/openapi.json", null).json().path("paths");
            assertThat(paths.has("/notifications/channels")).isTrue();
            assertThat(paths.path("/notifications/channels/{id}/test").has("post")).isTrue();
            assertThat(paths.has("/notifications/deliveries")).isTrue();
        }
    }
}
