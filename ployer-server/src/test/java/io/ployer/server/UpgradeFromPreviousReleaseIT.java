package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.server.UpgradeFixture.Answer;
import io.ployer.server.UpgradeFixture.RunningServer;
import io.ployer.server.UpgradeFixture.Rows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who ran the previous release upgrades and keeps everything. The fixture under
 * {@code src/test/resources/upgrade/0.1.0-2026-12-01/} is the data directory (ployer.db and
 * secret.key) of commit {@code 9933c97b} (2026-12-01 20:13 UTC, "ServerSettings: one check for
 * PLOYER_RATE_LIMIT ..."): the last commit before the 2026-12-02 migrations V3..V17, so its schema is
 * V1..V2, what users of the first release ran. {@code scripts/make-upgrade-fixture.sh} built that
 * commit's server, started it as its README says, made an owner, an API key, a remote server, three
 * applications (env values including secrets, a build-time one, an https token, a deploy key, domains,
 * a health check, a GitHub webhook with one delivery, a failed deployment with logs) through its REST
 * API, and stopped it.
 *
 * <p>Today's server ({@link io.ployer.server.Main}, as {@code bin/ployer start} runs it) starts on a copy
 * and must: apply every bundled migration without a failure, log nobody out of their data (the old
 * password and the old API key work), show every record as the old release stored it (secret values
 * decrypted through {@code ?reveal=true}), keep every row and column of every old table (so a
 * migration that drops or rewrites old data fails here), accept writes, start again on the upgraded
 * file, pass {@code ployer migrate}'s checksum validation, and end with exactly the schema a fresh
 * install gets.
 */
class UpgradeFromPreviousReleaseIT {
    static final String RELEASE = "0.1.0-2026-12-01";

    /**
     * Old columns whose values may legitimately differ after the upgrade, each with why; every other
     * column of every old table must keep every row's value.
     */
    static final Map<String, String> MAY_CHANGE = Map.of(
            "users.role", "V12 makes the earliest admin the instance OWNER (asserted on its own below)",
            "servers.status", "the background server check writes it",
            "servers.last_checked_at", "the background server check writes it",
            "api_keys.last_used_at", "this test uses the key");

    /** Old tables whose rows are pruned by retention or replaced on use, not kept forever by design. */
    static final List<String> NOT_COMPARED = List.of("flyway_schema_history", "sessions", "health_check_results",
            "container_stats");

    @TempDir
    Path temp;

    @Test
    void anOlderDataDirectoryMigratesAndKeepsEverything() throws Exception {
        Properties fixture = UpgradeFixture.copy(RELEASE, temp.resolve("data"));
        Path data = temp.resolve("data");
        Path database = data.resolve("ployer.db");
        Rows before = Rows.read(database);
        List<Map<String, Object>> oldHistory = before.table("flyway_schema_history");
        assertThat(oldHistory).extracting(row -> row.get("version")).as("the fixture is the old schema").containsExactly("1", "2");

        Map<String, JsonNode> apps;
        try (RunningServer server = RunningServer.start(data, temp.resolve("first-start.log"))) {
            assertThat(server.output()).contains("storage: found (sqlite)").doesNotContain(" ERROR ")
                    .contains("Upgrading the database").contains("from schema V2 to V"
                            + UpgradeFixture.bundledVersions().get(UpgradeFixture.bundledVersions().size() - 1));
            apps = everythingIsThere(server, fixture, before);
        }
        // The server kept a copy of the database as the old release left it, before it migrated.
        List<Path> copies;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(data.resolve("upgrade-backups"))) {
            copies = files.toList();
        }
        assertThat(copies).singleElement().satisfies(copy -> assertThat(Rows.read(copy).table("flyway_schema_history"))
                .as("the copy before the upgrade").isEqualTo(oldHistory));

        // The Flyway history: every bundled migration, applied with success, the old ones untouched;
        // and every old row and column as it was (before this test writes anything).
        Rows after = Rows.read(database);
        List<Map<String, Object>> history = after.table("flyway_schema_history");
        assertThat(history).extracting(row -> row.get("version")).containsExactlyElementsOf(UpgradeFixture.bundledVersions());
        assertThat(history).allSatisfy(row -> assertThat(row.get("success")).as("success of V" + row.get("version")).isEqualTo(1));
        assertThat(history.subList(0, 2)).isEqualTo(oldHistory);
        oldDataIsKept(before, after);

        // The upgraded file is an ordinary current one: it starts again (no migration to run) and takes writes,
        // which a third start still shows; then ployer migrate validates the applied migrations' checksums.
        String shopId = apps.get("shop-api").path("id").asText();
        try (RunningServer again = RunningServer.start(data, temp.resolve("second-start.log"))) {
            assertThat(again.output()).doesNotContain(" ERROR ");
            writesWork(again, fixture, shopId);
        }
        try (RunningServer third = RunningServer.start(data, temp.resolve("third-start.log"))) {
            String token = third.login(fixture.getProperty("admin.email"), fixture.getProperty("admin.password"));
            assertThat(revealed(third, token, shopId))
                    .containsEntry("DATABASE_URL", "postgres://shop:s3cr3t-p4ss@db.internal:5432/shop")
                    .containsEntry("FEATURE_FLAGS", "checkout-v2").containsEntry("LOG_LEVEL", "debug");
            assertThat(third.get("/applications", token).json()).hasSize(4);
        }
        UpgradeFixture.Command migrate = UpgradeFixture.run("migrate", data);
        assertThat(migrate.exitCode()).as(migrate.output()).isZero();
        assertThat(migrate.output()).contains("database is up to date");

        // No schema drift: the upgraded database has exactly the tables, columns and indexes of a fresh install.
        Path fresh = temp.resolve("fresh");
        UpgradeFixture.Command install = UpgradeFixture.run("migrate", fresh);
        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(Rows.schema(database)).isEqualTo(Rows.schema(fresh.resolve("ployer.db")));
    }

    /** Reads everything back through the API; answers each application by name. */
    private static Map<String, JsonNode> everythingIsThere(RunningServer server, Properties fixture, Rows before) {
        Answer health = server.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ok");
        assertThat(StreamSupport.stream(health.json().path("components").spliterator(), false)
                .filter(component -> component.path("role").asText().equals("storage")).findFirst().orElseThrow()
                .path("reachable").asBoolean()).isTrue();
        assertThat(health.json().path("proxy_sync").path("drifts").asLong()).as("drifts").isZero();
        assertThat(health.json().path("proxy_sync").path("proxy_state").asText()).isNotEqualTo("drifted");

        // The old owner logs in with the old password; the API key made by the old release still works.
        Answer login = server.post("/auth/login", null, "{\"email\":\"" + fixture.getProperty("admin.email")
                + "\",\"password\":\"" + fixture.getProperty("admin.password") + "\"}");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.json().path("user").path("role").asText()).isEqualTo("OWNER");
        assertThat(before.table("users")).singleElement().satisfies(user -> assertThat(user.get("role")).isEqualTo("ADMIN"));
        String token = login.json().path("token").asText();
        assertThat(server.get("/applications", fixture.getProperty("api-key")).status()).isEqualTo(200);

        // Applications: every field as the old release stored it, in the default project.
        Map<String, JsonNode> apps = new LinkedHashMap<>();
        server.get("/applications", token).json().forEach(app -> apps.put(app.path("name").asText(), app));
        assertThat(apps.keySet()).containsExactlyInAnyOrder("shop-api", "worker", "docs");
        for (Map<String, Object> old : before.table("applications")) {
            JsonNode app = apps.get((String) old.get("name"));
            assertThat(app.path("id").asText()).isEqualTo(old.get("id"));
            assertThat(app.path("git_url").asText()).isEqualTo(old.get("git_url"));
            assertThat(app.path("branch").asText()).isEqualTo(old.get("branch"));
            assertThat(app.path("build_strategy").asText()).isEqualTo(old.get("build_strategy"));
            assertThat(app.path("port").asInt()).isEqualTo(old.get("port"));
            assertThat(app.path("auto_deploy").asBoolean()).isEqualTo(((Integer) old.get("auto_deploy")) == 1);
            assertThat(app.path("restart_policy").asText()).isEqualTo(old.get("restart_policy"));
            assertThat(app.path("status").asText()).isEqualTo(old.get("status"));
            assertThat(app.path("server_id").isNull() ? null : app.path("server_id").asText()).isEqualTo(old.get("server_id"));
            assertThat(app.path("project_id").asText()).isEqualTo("default");
        }
        JsonNode shop = apps.get("shop-api");
        assertThat(shop.path("build_config").path("dockerfile").asText()).isEqualTo("deploy/Dockerfile");
        assertThat(shop.path("limits").path("memory_bytes").asLong()).isEqualTo(268_435_456L);
        assertThat(shop.path("limits").path("cpus").asDouble()).isEqualTo(0.5);
        String shopId = shop.path("id").asText();
        String workerId = apps.get("worker").path("id").asText();
        String docsId = apps.get("docs").path("id").asText();

        // Env values: masked in lists, decrypted with ?reveal=true, build-time flags kept.
        assertThat(revealed(server, token, shopId)).isEqualTo(Map.of(
                "DATABASE_URL", "postgres://shop:s3cr3t-p4ss@db.internal:5432/shop",
                "STRIPE_SECRET_KEY", "sk_live_51FixtureOnlyNotARealKey",
                "NPM_TOKEN", "npm_fixtureBuildTimeToken",
                "LOG_LEVEL", "info"));
        assertThat(revealed(server, token, workerId)).isEqualTo(Map.of("QUEUE_PASSWORD", "w0rker-queue-p@ss=;\"quoted\""));
        server.get("/applications/" + shopId + "/envs", token).json().forEach(env -> {
            assertThat(env.path("value").asText()).isEqualTo("********");
            assertThat(env.path("build_time").asBoolean()).as("build_time of " + env.path("key").asText())
                    .isEqualTo(env.path("key").asText().equals("NPM_TOKEN"));
        });

        // Domains, with the primary and the automatic ones.
        List<String> domains = new ArrayList<>();
        server.get("/applications/" + shopId + "/domains", token).json().forEach(domain -> domains.add(domain.path("hostname").asText()
                + (domain.path("primary").asBoolean() ? " primary" : "") + (domain.path("auto").asBoolean() ? " auto" : "")));
        assertThat(domains).containsExactlyInAnyOrder("shop.example.test primary", "www.shop.example.test",
                "shop-api.apps.example.test auto");
        assertThat(server.get("/applications/" + docsId + "/domains", token).json().get(0).path("hostname").asText())
                .isEqualTo("docs.apps.example.test");

        // Health check, deploy key, webhook, remote server, the failed deployment and its log.
        JsonNode check = server.get("/applications/" + shopId + "/health-check", token).json();
        assertThat(check.path("path").asText()).isEqualTo("/healthz");
        assertThat(List.of(check.path("expected_status_min").asInt(), check.path("expected_status_max").asInt(),
                check.path("healthy_threshold").asInt(), check.path("unhealthy_threshold").asInt(), check.path("retries").asInt()))
                .containsExactly(200, 299, 2, 5, 6);
        assertThat(List.of(check.path("interval").asText(), check.path("timeout").asText(), check.path("start_period").asText()))
                .containsExactly("PT30S", "PT4S", "PT20S");
        assertThat(check.path("enabled").asBoolean()).isTrue();
        Map<String, Object> oldKey = before.table("deploy_keys").get(0);
        JsonNode key = server.get("/applications/" + workerId + "/deploy-key", token).json();
        assertThat(key.path("public_key").asText()).isEqualTo(oldKey.get("public_key"));
        assertThat(key.path("fingerprint").asText()).isEqualTo(oldKey.get("fingerprint"));
        assertThat(key.path("private_key").isNull()).isTrue();
        JsonNode webhook = server.get("/applications/" + shopId + "/webhooks", token).json();
        assertThat(webhook.path("provider").asText()).isEqualTo("github");
        assertThat(webhook.path("enabled").asBoolean()).isTrue();
        JsonNode deliveries = server.get("/applications/" + shopId + "/webhooks/deliveries", token).json();
        assertThat(deliveries).hasSize(1);
        assertThat(deliveries.get(0).path("status").asText()).isEqualTo("SKIPPED");
        assertThat(deliveries.get(0).path("branch").asText()).isEqualTo("feature");
        JsonNode edge = StreamSupport.stream(server.get("/servers", token).json().spliterator(), false)
                .filter(s -> s.path("name").asText().equals("edge-1")).findFirst().orElseThrow();
        assertThat(List.of(edge.path("host").asText(), edge.path("port").asText(), edge.path("username").asText()))
                .containsExactly("192.0.2.10", "22", "deploy");
        assertThat(edge.path("ssh_private_key").isNull()).isTrue();
        assertThat(apps.get("worker").path("server_id").asText()).isEqualTo(edge.path("id").asText());
        JsonNode deployments = server.get("/deployments?application_id=" + docsId, token).json();
        assertThat(deployments).hasSize(1);
        JsonNode failed = deployments.get(0);
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("failure_reason").asText()).contains("git.invalid");
        Answer logs = server.get("/deployments/" + failed.path("id").asText() + "/logs", token);
        assertThat(logs.status()).isEqualTo(200);
        assertThat(logs.body()).contains("git.invalid");

        // Nothing the old data holds is refused: every read of an application answers below 500.
        for (String path : server.applicationReads(token)) {
            for (String id : List.of(shopId, workerId, docsId)) {
                Answer answer = server.get(path.replace("{id}", id), token);
                assertThat(answer.status()).as("GET %s for %s: %s", path, id, answer.body()).isLessThan(500);
            }
        }
        return apps;
    }

    /** Writes after the upgrade: env values, a new application with a domain, a signed webhook delivery. */
    private static void writesWork(RunningServer server, Properties fixture, String shopId) throws Exception {
        String token = server.login(fixture.getProperty("admin.email"), fixture.getProperty("admin.password"));
        assertThat(server.post("/applications/" + shopId + "/envs", token,
                "{\"key\":\"FEATURE_FLAGS\",\"value\":\"checkout-v2\",\"build_time\":false}").status()).isEqualTo(201);
        Answer changed = server.send("PUT", "/applications/" + shopId + "/envs/LOG_LEVEL", token, "{\"value\":\"debug\"}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        Answer created = server.post("/applications", token, "{\"name\":\"after-upgrade\",\"git_url\":\"https://github.com/example/after.git\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String newId = created.json().path("id").asText();
        assertThat(server.post("/applications/" + newId + "/domains", token, "{\"domain\":\"after.example.test\"}").status()).isEqualTo(201);
        assertThat(server.get("/applications", token).json()).hasSize(4);
        assertThat(revealed(server, token, shopId)).containsEntry("FEATURE_FLAGS", "checkout-v2").containsEntry("LOG_LEVEL", "debug")
                .containsEntry("STRIPE_SECRET_KEY", "sk_live_51FixtureOnlyNotARealKey");

        // The webhook secret the old release made (stored encrypted) still verifies GitHub's signature.
        String push = "{\"ref\":\"refs/heads/feature\",\"after\":\"89abcdef0123456789abcdef0123456789abcdef\","
                + "\"head_commit\":{\"author\":{\"name\":\"Ada\"},\"message\":\"After the upgrade\"},"
                + "\"repository\":{\"clone_url\":\"https://github.com/example/shop-api.git\"}}";
        assertThat(server.githubPush(shopId, push, "wrong-secret").status()).isEqualTo(401);
        Answer delivery = server.githubPush(shopId, push, fixture.getProperty("webhook.secret"));
        assertThat(delivery.status()).as(delivery.body()).isBetween(200, 299);
        List<String> deliveries = new ArrayList<>();
        server.get("/applications/" + shopId + "/webhooks/deliveries", token).json().forEach(
                d -> deliveries.add(d.path("status").asText() + " " + d.path("commit_sha").asText() + " " + d.path("reason").asText()));
        assertThat(deliveries).containsExactly(
                "SKIPPED 89abcdef0123456789abcdef0123456789abcdef push to branch 'feature', the application deploys 'main'",
                "FAILED null signature does not match",
                "SKIPPED 0123456789abcdef0123456789abcdef01234567 push to branch 'feature', the application deploys 'main'");

        // The writes are audited like any other.
        Answer audit = server.get("/audit", token);
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body()).contains("FEATURE_FLAGS").contains(newId).doesNotContain("checkout-v2");
    }

    /** Every row of every old table, with every old column's value, is still there (except {@link #MAY_CHANGE}). */
    private static void oldDataIsKept(Rows before, Rows after) {
        for (String table : before.tables()) {
            if (NOT_COMPARED.contains(table)) {
                continue;
            }
            assertThat(after.tables()).as("table %s of release %s is gone after the upgrade", table, RELEASE).contains(table);
            Map<String, Map<String, Object>> now = after.byKey(table);
            for (Map.Entry<String, Map<String, Object>> row : before.byKey(table).entrySet()) {
                Map<String, Object> current = now.get(row.getKey());
                assertThat(current).as("row %s of %s after the upgrade", row.getKey(), table).isNotNull();
                row.getValue().forEach((column, value) -> {
                    assertThat(current).as("column %s.%s after the upgrade", table, column).containsKey(column);
                    if (!MAY_CHANGE.containsKey(table + "." + column)) {
                        assertThat(current.get(column)).as("%s.%s of row %s", table, column, row.getKey()).isEqualTo(value);
                    }
                });
            }
        }
    }

    private static Map<String, String> revealed(RunningServer server, String token, String applicationId) {
        Answer envs = server.get("/applications/" + applicationId + "/envs?reveal=true", token);
        assertThat(envs.status()).as(envs.body()).isEqualTo(200);
        Map<String, String> values = new LinkedHashMap<>();
        envs.json().forEach(env -> values.put(env.path("key").asText(), env.path("value").asText()));
        return values;
    }
}
