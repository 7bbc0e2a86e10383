package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.server.ServerFixture.Answer;
import io.ployer.testkit.Environment;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers, networks and volumes over the API against the real dockerd. */
class ContainerApiIT {
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
                assertThat(server.get("/containers/" + id + "/logs?tail=5", user).status()).isEqualTo(200);
                assertThat(server.post("/containers/" + id + "/stop", user, null).status()).isEqualTo(403);
                assertThat(server.post("/containers/" + id + "/stop", admin, null).json().path("running").asBoolean()).isFalse();
                assertThat(server.get("/containers/" + id + "/stats", admin).status()).isEqualTo(409);
                assertThat(server.get("/containers/" + id + "/logs?tail=lots", admin).errorField()).isEqualTo("tail");
            } finally {
                assertThat(server.send("DELETE", "/containers/" + id + "?force=true", admin, null).status()).isEqualTo(204);
            }
            assertThat(server.get("/containers/" + id, admin).status()).isEqualTo(404);
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
