package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.server.ServerFixture.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes and limits over the API: every bad input is a 400 naming its field and changes nothing,
 * bind mounts are for admins and only under {@code volumes.bind-roots}. (Named volumes on a real
 * dockerd are covered by the engine's VolumesAndLimitsIT.)
 */
class VolumeApiTest {
    @TempDir
    Path data;
    @TempDir
    Path roots;

    @Test
    void volumesAreValidatedAndBindMountsAreForAdminsUnderTheAllowedRoots() throws Exception {
        Path allowed = Files.createDirectories(roots.resolve("allowed/app"));
        Path outside = Files.createDirectories(roots.resolve("outside"));
        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(),
                Map.of("volumes.bind-roots", roots.resolve("allowed").toString()))) {
            String admin = server.login("admin@example.com", "admin-password");
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            String user = server.login("user@example.com", "user-password");
            // A developer of the application's project: may change it, but is no instance admin.
            String userId = server.get("/auth/me", user).json().path("id").asText();
            assertThat(server.send("PUT", "/projects/default/members/" + userId, admin, "{\"role\":\"developer\"}").status()).isEqualTo(200);
            Answer app = server.post("/applications", admin, "{\"name\":\"web\",\"git_url\":\"https://example.com/web.git\"}");
            assertThat(app.status()).as(app.body()).isEqualTo(201);
            String volumes = "/applications/" + app.json().path("id").asText() + "/volumes";

            assertThat(server.post(volumes, user, "{\"name\":\"Data\",\"container_path\":\"/data\"}").errorField()).isEqualTo("name");
            assertThat(server.post(volumes, user, "{\"name\":\"-data\",\"container_path\":\"/data\"}").errorField()).isEqualTo("name");
            assertThat(server.post(volumes, user, "{\"container_path\":\"/data\"}").errorField()).isEqualTo("name");
            for (String path : new String[] {"data", "/", "//", "/data/../etc", "/a:b", ""}) {
                Answer bad = server.post(volumes, user, "{\"name\":\"data\",\"container_path\":\"" + path + "\"}");
                assertThat(bad.status()).as(path).isEqualTo(400);
                assertThat(bad.errorField()).as(path).isEqualTo("container_path");
                assertThat(bad.json().path("error").path("message").asText()).isNotBlank().doesNotContain("Exception");
            }

            String bind = "{\"name\":\"files\",\"host_path\":\"" + allowed + "\",\"container_path\":\"/files\",\"read_only\":true}";
            assertThat(server.post(volumes, user, bind).status()).isEqualTo(403);
            Answer escape = server.post(volumes, admin, "{\"name\":\"files\",\"host_path\":\"" + allowed
                    + "/../../outside\",\"container_path\":\"/files\"}");
            assertThat(escape.errorField()).isEqualTo("host_path");
            assertThat(server.post(volumes, admin, "{\"name\":\"files\",\"host_path\":\"" + outside
                    + "\",\"container_path\":\"/files\"}").errorField()).isEqualTo("host_path");
            assertThat(server.get(volumes, admin).json()).isEmpty();

            Answer created = server.post(volumes, admin, bind);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().path("kind").asText()).isEqualTo("BIND");
            assertThat(created.json().path("source").asText()).isEqualTo(allowed.toString());
            assertThat(created.json().path("read_only").asBoolean()).isTrue();
            Answer taken = server.post(volumes, admin, "{\"name\":\"other\",\"host_path\":\"" + allowed
                    + "\",\"container_path\":\"/files/\"}");
            assertThat(taken.status()).isEqualTo(409);
            assertThat(taken.errorField()).isEqualTo("container_path");
            assertThat(server.get(volumes, user).json()).hasSize(1);

            assertThat(server.get("/volumes/orphaned", user).status()).isEqualTo(403);
            assertThat(server.send("DELETE", volumes + "/no-such-volume", user, null).status()).isEqualTo(404);
            assertThat(server.send("DELETE", volumes + "/" + created.json().path("id").asText(), user, null).status()).isEqualTo(204);
            assertThat(server.get(volumes, user).json()).isEmpty();
            assertThat(server.send("DELETE", "/applications/" + app.json().path("id").asText() + "?delete_volumes=maybe", admin, null)
                    .errorField()).isEqualTo("delete_volumes");
        }
    }

    @Test
    void bindMountsAreRefusedWhenNoRootIsConfigured() {
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            Answer app = server.post("/applications", admin, "{\"name\":\"web\",\"git_url\":\"https://example.com/web.git\"}");
            Answer refused = server.post("/applications/" + app.json().path("id").asText() + "/volumes", admin,
                    "{\"name\":\"files\",\"host_path\":\"/tmp\",\"container_path\":\"/files\"}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.errorField()).isEqualTo("host_path");
            assertThat(refused.json().path("error").path("message").asText()).contains("volumes.bind-roots");
        }
    }

    @Test
    void limitsAreValidatedAndKept() {
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            String base = "{\"name\":\"web\",\"git_url\":\"https://example.com/web.git\",\"limits\":";
            assertThat(server.post("/applications", admin, base + "{\"memory_bytes\":67108864,\"memory_reservation_bytes\":134217728}}")
                    .errorField()).isEqualTo("limits.memory_reservation_bytes");
            assertThat(server.post("/applications", admin, base + "{\"pids\":2}}").errorField()).isEqualTo("limits.pids");
            assertThat(server.get("/applications", admin).json()).isEmpty();
            Answer created = server.post("/applications", admin,
                    base + "{\"memory_bytes\":67108864,\"memory_reservation_bytes\":33554432,\"cpus\":0.5,\"pids\":100}}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            Answer fetched = server.get("/applications/" + created.json().path("id").asText(), admin);
            assertThat(fetched.json().path("limits").path("memory_reservation_bytes").asLong()).isEqualTo(33554432L);
            assertThat(fetched.json().path("limits").path("pids").asLong()).isEqualTo(100L);
            assertThat(fetched.json().path("limits").path("memory_bytes").asLong()).isEqualTo(67108864L);
        }
    }
}
