package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database endpoints' shapes without Docker: a database as recorded (no container), its JSON
 * without any credential, the template catalogue, and the platform backup policy endpoints.
 */
class DatabaseResourceTest {
    @TempDir
    Path data;

    @Test
    void aDatabaseReadsWithoutCredentialsAndTheCatalogueIsListed() throws Exception {
        try (ServerFixture server = new ServerFixture(data)) {
            String owner = server.login("owner@example.com", "owner-password");
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ployer.db"))) {
                connection.createStatement().executeUpdate("INSERT INTO databases (id, name, engine, version, image, username,"
                        + " database_name, port, public_port, status, password_ciphertext, created_at)"
                        + " VALUES ('db-1', 'shop-db', 'POSTGRESQL', '15', 'postgres:15', 'ployer', 'shop_db', 5432, 0, 'STOPPED',"
                        + " 'ciphertext-that-must-not-show', 0)");
            }
            var answer = server.get("/databases/db-1", owner);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode database = answer.json();
            assertThat(database.path("name").asText()).isEqualTo("shop-db");
            assertThat(database.path("project_id").asText()).isEqualTo("default");
            assertThat(database.path("engine").asText()).isEqualToIgnoringCase("postgresql");
            assertThat(answer.body()).doesNotContain("ciphertext-that-must-not-show").doesNotContain("password");
            assertThat(server.get("/databases", owner).json().path(0).path("id").asText()).isEqualTo("db-1");

            var badCreate = server.post("/databases", owner, "{\"name\":\"x\",\"engine\":\"oracle\"}");
            assertThat(badCreate.status()).isEqualTo(400);
            assertThat(badCreate.body()).contains("engine");

            // Restore: into the same database (default) or a new one; a bad target or backup is a 400 naming the field.
            var badTarget = server.post("/databases/db-1/restore", owner, "{\"backup_id\":\"b-1\",\"target\":\"elsewhere\"}");
            assertThat(badTarget.status()).as(badTarget.body()).isEqualTo(400);
            assertThat(badTarget.body()).contains("target");
            var noBackup = server.post("/databases/db-1/restore", owner, "{\"target\":\"new\",\"name\":\"shop-copy\"}");
            assertThat(noBackup.status()).as(noBackup.body()).isEqualTo(400);
            assertThat(noBackup.body()).contains("backup_id");
            var unknownBackup = server.post("/databases/db-1/restore", owner,
                    "{\"backup_id\":\"b-1\",\"target\":\"new\",\"name\":\"shop-copy\"}");
            assertThat(unknownBackup.status()).as(unknownBackup.body()).isEqualTo(400);
            assertThat(unknownBackup.body()).contains("backup_id").contains("b-1");
            assertThat(server.post("/databases/unknown/restore", owner, "{\"target\":\"elsewhere\"}").status()).isEqualTo(404);
            assertThat(server.get("/databases", owner).json()).hasSize(1);

            JsonNode templates = server.get("/templates", owner).json();
            assertThat(templates.findValuesAsText("name")).contains("static-files", "key-value", "postgres", "cached-site");

            assertThat(server.get("/platform-backups/policy", owner).status()).isIn(404, 409);
            var noDestination = server.send("PUT", "/platform-backups/policy", owner, "{\"schedule\":\"0 2 * * *\",\"keep\":3}");
            assertThat(noDestination.status()).isIn(400, 409);
        }
    }
}
