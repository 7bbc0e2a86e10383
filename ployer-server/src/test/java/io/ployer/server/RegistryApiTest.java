package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.server.ServerFixture.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries over the API: admins only, bad input is a 400 naming its field, the password is never
 * answered and never stored in clear. (Pulls with these credentials: the engine's ImageDeploymentIT.)
 */
class RegistryApiTest {
    @TempDir
    Path data;

    @Test
    void registriesAreForAdminsAndTheirPasswordsAreNeverShown() throws Exception {
        String password = "s3cret-registry-password";
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            String user = server.login("user@example.com", "user-password");

            assertThat(server.get("/registries", user).status()).isEqualTo(403);
            assertThat(server.post("/registries", user, "{\"url\":\"registry.example.com\"}").status()).isEqualTo(403);

            assertThat(server.post("/registries", admin, "{}").errorField()).isEqualTo("url");
            for (String url : new String[] {"", "not a host", "registry.example.com:port", "-bad.example.com", "a@b"}) {
                Answer bad = server.post("/registries", admin, "{\"url\":\"" + url + "\"}");
                assertThat(bad.status()).as(url).isEqualTo(400);
                assertThat(bad.errorField()).as(url).isEqualTo("url");
                assertThat(bad.json().path("error").path("message").asText()).isNotBlank().doesNotContain("Exception");
            }
            assertThat(server.post("/registries", admin, "{\"url\":\"registry.example.com\",\"password\":\"x\"}").errorField())
                    .isEqualTo("username");
            assertThat(server.post("/registries", admin, "{\"url\":\"registry.example.com\",\"username\":\"a b\"}").errorField())
                    .isEqualTo("username");
            assertThat(server.get("/registries", admin).json()).isEmpty();

            Answer created = server.post("/registries", admin, "{\"url\":\"https://Registry.Example.com:5000/v2/\",\"username\":\"ci\","
                    + "\"password\":\"" + password + "\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().path("url").asText()).isEqualTo("registry.example.com:5000");
            assertThat(created.json().path("username").asText()).isEqualTo("ci");
            assertThat(created.json().path("has_password").asBoolean()).isTrue();
            assertThat(created.body()).doesNotContain(password);
            String id = created.json().path("id").asText();

            Answer duplicate = server.post("/registries", admin, "{\"url\":\"registry.example.com:5000\"}");
            assertThat(duplicate.status()).isEqualTo(409);
            assertThat(duplicate.errorField()).isEqualTo("url");

            Answer listed = server.get("/registries", admin);
            assertThat(listed.json()).hasSize(1);
            assertThat(listed.body()).doesNotContain(password);
            assertThat(server.get("/registries/" + id, admin).body()).doesNotContain(password);
            assertThat(server.get("/registries/no-such-registry", admin).status()).isEqualTo(404);

            // A change without a password keeps it; an empty one removes it.
            Answer renamed = server.send("PUT", "/registries/" + id, admin, "{\"username\":\"deployer\"}");
            assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
            assertThat(renamed.json().path("username").asText()).isEqualTo("deployer");
            assertThat(renamed.json().path("has_password").asBoolean()).isTrue();
            assertThat(server.send("PUT", "/registries/" + id, admin, "{\"url\":\"bad url\"}").errorField()).isEqualTo("url");
            assertThat(server.send("PUT", "/registries/" + id, user, "{\"password\":\"\"}").status()).isEqualTo(403);
            Answer cleared = server.send("PUT", "/registries/" + id, admin, "{\"password\":\"\"}");
            assertThat(cleared.json().path("has_password").asBoolean()).isFalse();
            server.send("PUT", "/registries/" + id, admin, "{\"password\":\"" + password + "\"}");

            assertThat(server.send("DELETE", "/registries/" + id, user, null).status()).isEqualTo(403);
            Answer second = server.post("/registries", admin, "{\"url\":\"127.0.0.1:5000\"}");
            assertThat(second.status()).as(second.body()).isEqualTo(201);
            assertThat(second.json().path("has_password").asBoolean()).isFalse();
            assertThat(server.send("DELETE", "/registries/" + second.json().path("id").asText(), admin, null).status()).isEqualTo(204);
            assertThat(server.get("/registries", admin).json()).hasSize(1);
        }
        // The password is in no file of the data directory in clear (the database holds it encrypted).
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(password);
            }
        }
    }

    @Test
    void pushTargetsAndConfigurationFilesAreValidatedAndFilesAreNeverAnswered() {
        String content = "token = never-in-an-answer-" + java.util.UUID.randomUUID();
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            Answer app = server.post("/applications", admin, "{\"name\":\"web\",\"git_url\":\"https://example.com/web.git\"}");
            String id = app.json().path("id").asText();
            String registry = server.post("/registries", admin, "{\"url\":\"127.0.0.1:5000\"}").json().path("id").asText();

            String target = "/applications/" + id + "/push-target";
            assertThat(server.get(target, admin).status()).isEqualTo(404);
            assertThat(server.send("PUT", target, admin, "{\"repository\":\"team/web\"}").errorField()).isEqualTo("registry_id");
            assertThat(server.send("PUT", target, admin, "{\"registry_id\":\"nope\",\"repository\":\"team/web\"}").errorField())
                    .isEqualTo("registry_id");
            assertThat(server.send("PUT", target, admin, "{\"registry_id\":\"" + registry + "\",\"repository\":\"Team/Web\"}")
                    .errorField()).isEqualTo("repository");
            assertThat(server.send("PUT", "/applications/nope/push-target", admin, "{\"registry_id\":\"" + registry
                    + "\",\"repository\":\"team/web\"}").status()).isEqualTo(404);
            Answer set = server.send("PUT", target, admin, "{\"registry_id\":\"" + registry + "\",\"repository\":\"team/web\"}");
            assertThat(set.status()).as(set.body()).isEqualTo(200);
            assertThat(server.get(target, admin).json().path("repository").asText()).isEqualTo("team/web");
            assertThat(server.send("DELETE", "/registries/" + registry, admin, null).status()).isEqualTo(409);
            assertThat(server.send("DELETE", target, admin, null).status()).isEqualTo(204);
            assertThat(server.send("DELETE", target, admin, null).status()).isEqualTo(404);

            String files = "/applications/" + id + "/files";
            for (String path : new String[] {"relative.ini", "/", "/etc/", "/etc/../passwd", "/a:b", "/proc/x", "/a//b", ""}) {
                Answer bad = server.post(files, admin, "{\"path\":\"" + path + "\",\"content\":\"x\"}");
                assertThat(bad.status()).as(path).isEqualTo(400);
                assertThat(bad.errorField()).as(path).isEqualTo("path");
            }
            assertThat(server.post(files, admin, "{\"path\":\"/etc/app.ini\"}").errorField()).isEqualTo("content");
            assertThat(server.post(files, admin, "{\"path\":\"/etc/app.ini\",\"content\":\"" + "x".repeat(600 * 1024) + "\"}")
                    .errorField()).isEqualTo("content");
            Answer created = server.post(files, admin, "{\"path\":\"/etc/app.ini\",\"content\":\"" + content + "\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().path("size").asLong()).isEqualTo(content.length());
            assertThat(created.body()).doesNotContain(content);
            Answer listed = server.get(files, admin);
            assertThat(listed.json()).hasSize(1);
            assertThat(listed.body()).doesNotContain(content);
            assertThat(server.send("DELETE", files + "/nope", admin, null).status()).isEqualTo(404);
            assertThat(server.send("DELETE", files + "/" + created.json().path("id").asText(), admin, null).status()).isEqualTo(204);
            assertThat(server.get(files, admin).json()).isEmpty();
            assertThat(server.get("/applications/nope/files", admin).status()).isEqualTo(404);
        }
    }
}
