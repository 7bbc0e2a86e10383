package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.server.ServerFixture.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log over HTTP: every write of a full flow is recorded with who, from where and what,
 * no secret value (env values, passwords, tokens, keys) appears in any entry, project admins read
 * only their project's entries, and the log refuses updates.
 */
class AuditLogTest {
    private static final String ENV_SECRET = "env-secret-5d41402abc";
    private static final String ENV_SECRET_2 = "env-secret-second-7f3c";
    private static final String GIT_TOKEN = "ghp_audittoken0123456789";
    private static final String WRONG_PASSWORD = "wrong-password-8812";
    private static final String NEW_PASSWORD = "a-new-password-99213";

    @TempDir
    Path data;

    @Test
    void everyWriteOfAFullFlowIsRecordedAndNoSecretValueIsInAnyEntry() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(ENV_SECRET, ENV_SECRET_2, GIT_TOKEN, WRONG_PASSWORD, NEW_PASSWORD,
                "admin-password", "lead-password"));
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            assertThat(server.post("/auth/login", null, "{\"email\":\"admin@example.com\",\"password\":\"" + WRONG_PASSWORD + "\"}")
                    .status()).isEqualTo(401);
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            server.post("/projects", admin, "{\"id\":\"alpha\",\"name\":\"Alpha\"}");
            server.post("/projects", admin, "{\"id\":\"beta\",\"name\":\"Beta\"}");
            String appId = server.post("/applications", admin,
                    "{\"name\":\"shop\",\"git_url\":\"https://git.example.com/shop.git\",\"project_id\":\"alpha\"}").json().path("id").asText();
            String app = "/applications/" + appId;
            String betaApp = "/applications/" + server.post("/applications", admin,
                    "{\"name\":\"blog\",\"git_url\":\"https://git.example.com/blog.git\",\"project_id\":\"beta\"}").json().path("id").asText();
            assertThat(server.post(app + "/envs", admin, "{\"key\":\"DB_PASSWORD\",\"value\":\"" + ENV_SECRET + "\"}").status()).isEqualTo(201);
            assertThat(server.send("PUT", app + "/envs/DB_PASSWORD", admin, "{\"value\":\"" + ENV_SECRET_2 + "\"}").status()).isEqualTo(200);
            server.post(betaApp + "/envs", admin, "{\"key\":\"OTHER\",\"value\":\"" + ENV_SECRET + "\"}");
            assertThat(server.send("PUT", app + "/git-token", admin, "{\"token\":\"" + GIT_TOKEN + "\"}").status()).isEqualTo(204);
            server.send("PUT", app, admin, "{\"branch\":\"develop\"}");
            server.post(app + "/deploy", admin, "{}");
            Answer key = server.post("/auth/api-keys", admin, "{\"name\":\"ci\",\"scopes\":[\"read\"]}");
            secrets.add(key.json().path("key").asText());
            assertThat(server.send("DELETE", "/auth/api-keys/" + key.json().path("id").asText(), admin, null).status()).isEqualTo(204);
            String lead = server.login("lead@example.com", "lead-password");
            String leadId = server.get("/auth/me", lead).json().path("id").asText();
            server.send("PUT", "/projects/alpha/members/" + leadId, admin, "{\"role\":\"admin\"}");
            Answer invitation = server.post("/projects/alpha/invitations", lead, "{\"role\":\"viewer\"}");
            secrets.add(invitation.json().path("token").asText());
            assertThat(server.post("/auth/password", lead, "{\"current_password\":\"lead-password\",\"new_password\":\""
                    + NEW_PASSWORD + "\"}").status()).isIn(200, 204);
            server.send("DELETE", app + "/envs/DB_PASSWORD", admin, null);
            assertThat(server.post(app + "/health-check", admin, "{\"path\":\"/\"}").status()).isBetween(200, 201);
            Answer webhook = server.post(app + "/webhooks", admin, "{\"provider\":\"github\"}");
            assertThat(webhook.status()).as(webhook.body()).isEqualTo(201);
            if (!webhook.json().path("secret").asText("").isEmpty()) {
                secrets.add(webhook.json().path("secret").asText());
            }

            Answer export = server.get("/audit?format=jsonl", admin);
            assertThat(export.status()).as(export.body()).isEqualTo(200);
            List<JsonNode> entries = new ArrayList<>();
            for (String line : export.body().split("\n")) {
                entries.add(server.json.readTree(line));
            }
            List<String> actions = entries.stream().map(entry -> entry.path("action").asText()).toList();
            // The engine records the writes it served (once each: the server adds nothing for them) …
            assertThat(actions).contains("login", "login.failed", "settings.registration", "project.created", "application.created",
                    "env.set", "git-token.set", "application.updated", "deploy", "api-key.created", "api-key.revoked",
                    "member.set", "invitation.created", "password.changed", "env.deleted", "health-check.configured",
                    "webhook.created");
            assertThat(actions.stream().filter(action -> action.equals("env.set"))).hasSize(3);
            assertThat(actions).noneMatch(action -> action.startsWith("POST /applications") || action.startsWith("PUT /auth"));
            // … and the server the ones it refused, with their HTTP status.
            assertThat(server.send("DELETE", betaApp, lead, null).status()).isEqualTo(404);
            JsonNode refused = server.json.readTree(server.get("/audit?format=jsonl&action=DELETE", admin).body().split("\n")[0]);
            assertThat(refused.path("action").asText()).isEqualTo("DELETE /applications/{id}");
            assertThat(refused.path("status").asInt()).isEqualTo(404);
            assertThat(refused.path("actor").asText()).isEqualTo("lead@example.com");
            JsonNode member = entries.get(actions.indexOf("member.set"));
            assertThat(member.path("change").path("user_id").asText()).isEqualTo(leadId);
            assertThat(member.path("change").path("role").asText()).isEqualTo("ADMIN");
            JsonNode envChange = entries.stream().filter(entry -> entry.path("action").asText().equals("env.set")
                    && entry.path("resource_id").asText().equals(appId)).findFirst().orElseThrow();
            assertThat(envChange.path("actor").asText()).isEqualTo("admin@example.com");
            assertThat(envChange.path("client_address").asText()).isEqualTo("127.0.0.1");
            assertThat(envChange.path("project_id").asText()).isEqualTo("alpha");
            assertThat(envChange.path("change").path("key").asText()).isEqualTo("DB_PASSWORD");
            assertThat(envChange.path("change").path("value").asText()).isEqualTo("********");
            JsonNode failed = entries.get(actions.indexOf("login.failed"));
            assertThat(failed.path("actor").asText()).isEqualTo("anonymous");
            assertThat(failed.path("change").path("email").asText()).isEqualTo("admin@example.com");
            assertThat(failed.path("client_address").asText()).isEqualTo("127.0.0.1");
            assertThat(failed.path("change").path("reason").asText()).isEqualTo("refused");

            // The grep test: no secret value anywhere in the log, nor in the database file's audit rows.
            for (String secret : secrets) {
                assertThat(export.body()).as("the audit export must not contain a secret").doesNotContain(secret);
            }
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ployer.db"));
                 var rows = connection.createStatement().executeQuery("SELECT * FROM audit_log")) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int column = 1; column <= columns; column++) {
                        String value = rows.getString(column);
                        for (String secret : secrets) {
                            assertThat(value == null ? "" : value).doesNotContain(secret);
                        }
                    }
                }
                // Append-only: the database refuses to change an entry.
                assertThatThrownBy(() -> connection.createStatement().executeUpdate("UPDATE audit_log SET actor = 'someone else'"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }

            // Project admins read their project's entries only; others not at all.
            String leadAgain = server.login("lead@example.com", NEW_PASSWORD);
            Answer alphaOnly = server.get("/audit?project_id=alpha", leadAgain);
            assertThat(alphaOnly.status()).isEqualTo(200);
            assertThat(alphaOnly.json().size()).isPositive();
            alphaOnly.json().forEach(entry -> assertThat(entry.path("project_id").asText()).isEqualTo("alpha"));
            assertThat(server.get("/audit", leadAgain).status()).isEqualTo(403);
            assertThat(server.get("/audit?project_id=beta", leadAgain).status()).isEqualTo(404);
            // Deleting an application over REST is recorded by the engine (the server records nothing for it).
            assertThat(server.send("DELETE", betaApp, admin, null).status()).isEqualTo(204);
            Answer deleted = server.get("/audit?action=application.deleted", admin);
            assertThat(deleted.json()).hasSize(1);
            assertThat(deleted.json().path(0).path("project_id").asText()).isEqualTo("beta");
            assertThat(deleted.json().path(0).path("change").path("name").asText()).isEqualTo("blog");
            Answer paged = server.get("/audit?limit=2&action=application", admin);
            assertThat(paged.json().size()).isEqualTo(2);
            assertThat(Files.exists(data.resolve("ployer.db"))).isTrue();
        }
    }

    @Test
    void entriesOlderThanTheRetentionAreDeletedAndNewerOnesKept() {
        TestingClock clock = new TestingClock(java.time.Instant.parse("2026-03-01T00:00:00Z"));
        try (ServerFixture server = new ServerFixture(data, clock, java.util.Map.of("audit.retention-days", "1"))) {
            String admin = server.login("admin@example.com", "admin-password");
            server.post("/projects", admin, "{\"id\":\"old\",\"name\":\"Old\"}");
            clock.advance(java.time.Duration.ofDays(2));
            String fresh = server.login("admin@example.com", "admin-password");
            server.post("/projects", fresh, "{\"id\":\"new\",\"name\":\"New\"}");

            // The first registration, login and project go; the second ones (registration refused: closed) stay.
            assertThat(server.ployer.audit().purge()).isEqualTo(3);
            Answer left = server.get("/audit", fresh);
            assertThat(left.status()).isEqualTo(200);
            List<String> actions = new ArrayList<>();
            left.json().forEach(entry -> actions.add(entry.path("action").asText() + " " + entry.path("resource_id").asText("")));
            assertThat(actions).containsExactly("project.created new", "login " + server.get("/auth/me", fresh).json().path("id").asText(),
                    "POST /auth/register ");
        }
    }
}
