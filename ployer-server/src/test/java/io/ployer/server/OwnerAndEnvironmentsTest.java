package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.server.ServerFixture.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's rest over real HTTP: the instance owner (only they make and unmake admins or hand
 * ownership over; no admin demotes or removes them), members' roles changed in place, invitation
 * expiry on a clock the test moves, and environments (an application's counterpart in staging
 * shares its git settings and has its own branch, env values and domains).
 */
class OwnerAndEnvironmentsTest {
    @TempDir
    Path data;

    private static String id(ServerFixture server, String token) {
        return server.get("/auth/me", token).json().path("id").asText();
    }

    @Test
    void onlyTheOwnerMakesAdminsAndNoAdminDemotesOrRemovesTheOwner() {
        try (ServerFixture server = new ServerFixture(data)) {
            String owner = server.login("owner@example.com", "owner-password");
            assertThat(server.get("/auth/me", owner).json().path("role").asText()).isEqualTo("OWNER");
            server.send("PUT", "/auth/registration", owner, "{\"open\":true}");
            String alice = server.login("alice@example.com", "alice-password");
            String bob = server.login("bob@example.com", "bob-password-1");
            String ownerId = id(server, owner);
            String aliceId = id(server, alice);
            String bobId = id(server, bob);
            assertThat(server.get("/auth/me", alice).json().path("role").asText()).isEqualTo("USER");

            // A user may neither list users nor change roles.
            assertThat(server.get("/auth/users", alice).status()).isEqualTo(403);
            assertThat(server.send("PUT", "/auth/users/" + aliceId + "/role", alice, "{\"role\":\"admin\"}").status()).isEqualTo(403);

            Answer promoted = server.send("PUT", "/auth/users/" + aliceId + "/role", owner, "{\"role\":\"admin\"}");
            assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
            assertThat(promoted.json().path("role").asText()).isEqualTo("ADMIN");
            assertThat(server.get("/auth/me", alice).json().path("role").asText()).isEqualTo("ADMIN");

            // An admin lists users but makes no admin, demotes nobody, and cannot touch the owner.
            Answer users = server.get("/auth/users", alice);
            assertThat(users.status()).isEqualTo(200);
            assertThat(users.body()).contains("owner@example.com", "alice@example.com", "bob@example.com").doesNotContain("argon2");
            assertThat(server.send("PUT", "/auth/users/" + bobId + "/role", alice, "{\"role\":\"admin\"}").status()).isEqualTo(403);
            Answer demote = server.send("PUT", "/auth/users/" + ownerId + "/role", alice, "{\"role\":\"user\"}");
            assertThat(demote.status()).isEqualTo(403);
            assertThat(server.send("DELETE", "/auth/users/" + ownerId, alice, null).status()).isEqualTo(403);
            assertThat(server.post("/auth/owner", alice, "{\"user_id\":\"" + aliceId + "\"}").status()).isEqualTo(403);
            assertThat(server.get("/auth/me", owner).json().path("role").asText()).isEqualTo("OWNER");
            // The Java API answers the same.
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() ->
                    server.ployer.accounts().setRole(aliceId, ownerId, io.ployer.api.account.Role.USER)))
                    .isInstanceOf(io.ployer.api.PloyerException.class).hasMessageContaining("only the instance owner");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() ->
                    server.ployer.accounts().setRole(ownerId, io.ployer.api.account.Role.USER)))
                    .hasMessageContaining("cannot be demoted");

            // The owner cannot make anyone owner through a role change, nor change their own role.
            Answer asOwner = server.send("PUT", "/auth/users/" + bobId + "/role", owner, "{\"role\":\"owner\"}");
            assertThat(asOwner.status()).isEqualTo(400);
            assertThat(asOwner.errorField()).isEqualTo("role");
            assertThat(server.send("PUT", "/auth/users/" + ownerId + "/role", owner, "{\"role\":\"user\"}").status()).isEqualTo(409);

            // An admin removes a user, not an admin; the owner removes an admin.
            String carol = server.login("carol@example.com", "carol-password");
            String carolId = id(server, carol);
            assertThat(server.send("DELETE", "/auth/users/" + carolId, alice, null).status()).isEqualTo(204);
            assertThat(server.get("/auth/me", carol).status()).isEqualTo(401);
            server.send("PUT", "/auth/users/" + bobId + "/role", owner, "{\"role\":\"admin\"}");
            assertThat(server.send("DELETE", "/auth/users/" + bobId, alice, null).status()).isEqualTo(403);

            // Ownership moves by a transfer: the former owner stays an admin and loses the owner's rights.
            Answer transfer = server.post("/auth/owner", owner, "{\"user_id\":\"" + aliceId + "\"}");
            assertThat(transfer.status()).as(transfer.body()).isEqualTo(200);
            assertThat(transfer.json().path("role").asText()).isEqualTo("OWNER");
            assertThat(server.get("/auth/me", alice).json().path("role").asText()).isEqualTo("OWNER");
            assertThat(server.get("/auth/me", owner).json().path("role").asText()).isEqualTo("ADMIN");
            assertThat(server.send("PUT", "/auth/users/" + bobId + "/role", owner, "{\"role\":\"user\"}").status()).isEqualTo(403);
            assertThat(server.send("PUT", "/auth/users/" + bobId + "/role", alice, "{\"role\":\"user\"}").status()).isEqualTo(200);
            assertThat(server.send("DELETE", "/auth/users/" + aliceId, owner, null).status()).isEqualTo(403);
        }
    }

    @Test
    void aProjectAdminChangesAMembersRoleInPlace() {
        try (ServerFixture server = new ServerFixture(data)) {
            String owner = server.login("owner@example.com", "owner-password");
            server.send("PUT", "/auth/registration", owner, "{\"open\":true}");
            server.post("/projects", owner, "{\"id\":\"alpha\",\"name\":\"Alpha\"}");
            String dev = server.login("dev@example.com", "dev-password-1");
            String devId = id(server, dev);
            assertThat(server.send("PUT", "/projects/alpha/members/" + devId, owner, "{\"role\":\"viewer\"}").status()).isEqualTo(200);
            assertThat(server.post("/applications", dev, "{\"name\":\"web\",\"git_url\":\"https://git.example.com/w.git\","
                    + "\"project_id\":\"alpha\"}").status()).isEqualTo(403);
            Answer changed = server.send("PUT", "/projects/alpha/members/" + devId, owner, "{\"role\":\"developer\"}");
            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.json().path("role").asText()).isEqualTo("DEVELOPER");
            assertThat(server.get("/projects/alpha/members", owner).json()).hasSize(1);
            assertThat(server.post("/applications", dev, "{\"name\":\"web\",\"git_url\":\"https://git.example.com/w.git\","
                    + "\"project_id\":\"alpha\"}").status()).isEqualTo(201);
            Answer bad = server.send("PUT", "/projects/alpha/members/" + devId, owner, "{\"role\":\"superuser\"}");
            assertThat(bad.status()).isEqualTo(400);
        }
    }

    @Test
    void anInvitationExpiresOnTheEnginesClock() {
        TestingClock clock = new TestingClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (ServerFixture server = new ServerFixture(data, clock, Map.of())) {
            String owner = server.login("owner@example.com", "owner-password");
            server.send("PUT", "/auth/registration", owner, "{\"open\":true}");
            server.post("/projects", owner, "{\"id\":\"alpha\",\"name\":\"Alpha\"}");
            String early = server.post("/projects/alpha/invitations", owner, "{\"role\":\"viewer\",\"valid_for_seconds\":3600}")
                    .json().path("token").asText();
            String late = server.post("/projects/alpha/invitations", owner, "{\"role\":\"viewer\",\"valid_for_seconds\":3600}")
                    .json().path("token").asText();
            String first = server.login("first@example.com", "first-password");
            String second = server.login("second@example.com", "second-password");

            clock.advance(Duration.ofSeconds(3599)); // one second before the expiry: still good
            Answer accepted = server.post("/invitations/accept", first, "{\"token\":\"" + early + "\"}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);

            clock.advance(Duration.ofSeconds(1)); // at the expiry: gone, worded like an unknown token
            Answer expired = server.post("/invitations/accept", second, "{\"token\":\"" + late + "\"}");
            assertThat(expired.status()).isEqualTo(404);
            assertThat(expired.body()).contains("unknown, used or expired");
            assertThat(server.get("/projects/alpha", second).status()).isEqualTo(404);
            assertThat(server.get("/projects/alpha", first).status()).isEqualTo(200);
        }
    }

    @Test
    void aStagingCounterpartSharesGitSettingsAndKeepsItsOwnBranchEnvAndDomains() {
        try (ServerFixture server = new ServerFixture(data)) {
            String owner = server.login("owner@example.com", "owner-password");
            server.send("PUT", "/auth/registration", owner, "{\"open\":true}");
            server.post("/projects", owner, "{\"id\":\"alpha\",\"name\":\"Alpha\"}");
            String dev = server.login("dev@example.com", "dev-password-1");
            String viewer = server.login("viewer@example.com", "viewer-password");
            server.send("PUT", "/projects/alpha/members/" + id(server, dev), owner, "{\"role\":\"developer\"}");
            server.send("PUT", "/projects/alpha/members/" + id(server, viewer), owner, "{\"role\":\"viewer\"}");

            Answer environments = server.get("/projects/alpha/environments", viewer);
            assertThat(environments.status()).isEqualTo(200);
            assertThat(environments.json()).hasSize(1);
            assertThat(environments.json().path(0).path("name").asText()).isEqualTo("production");
            assertThat(server.post("/projects/alpha/environments", dev, "{\"name\":\"staging\"}").status()).isEqualTo(403);
            Answer badName = server.post("/projects/alpha/environments", owner, "{\"name\":\"Staging!\"}");
            assertThat(badName.status()).isEqualTo(400);
            assertThat(badName.errorField()).isEqualTo("name");
            assertThat(server.post("/projects/alpha/environments", owner, "{\"name\":\"staging\"}").status()).isEqualTo(201);
            assertThat(server.post("/projects/alpha/environments", owner, "{\"name\":\"staging\"}").status()).isEqualTo(409);
            assertThat(server.get("/projects/alpha/environments", viewer).json()).hasSize(2);

            Answer web = server.post("/applications", dev, "{\"name\":\"web\",\"git_url\":\"https://git.example.com/web.git\","
                    + "\"branch\":\"main\",\"build_strategy\":\"dockerfile\",\"project_id\":\"alpha\"}");
            assertThat(web.status()).as(web.body()).isEqualTo(201);
            String webId = web.json().path("id").asText();
            server.send("PUT", "/applications/" + webId + "/git-token", dev, "{\"token\":\"shared-token-123\"}");
            server.post("/applications/" + webId + "/envs", dev, "{\"key\":\"MODE\",\"value\":\"production\"}");

            String counterpart = "{\"source_application_id\":\"" + webId + "\",\"name\":\"web-staging\",\"branch\":\"develop\"}";
            assertThat(server.post("/projects/alpha/environments/staging/applications", viewer, counterpart).status()).isEqualTo(403);
            assertThat(server.post("/projects/alpha/environments/nowhere/applications", dev, counterpart).status()).isEqualTo(404);
            Answer sameEnvironment = server.post("/projects/alpha/environments/production/applications", dev,
                    "{\"source_application_id\":\"" + webId + "\",\"name\":\"web-two\"}");
            assertThat(sameEnvironment.status()).isEqualTo(400);
            Answer staging = server.post("/projects/alpha/environments/staging/applications", dev, counterpart);
            assertThat(staging.status()).as(staging.body()).isEqualTo(201);
            String stagingId = staging.json().path("id").asText();
            assertThat(staging.json().path("git_url").asText()).isEqualTo("https://git.example.com/web.git");
            assertThat(staging.json().path("branch").asText()).isEqualTo("develop");
            assertThat(staging.json().path("project_id").asText()).isEqualTo("alpha");

            // Its own env values and domains.
            server.post("/applications/" + stagingId + "/envs", dev, "{\"key\":\"MODE\",\"value\":\"staging\"}");
            assertThat(server.post("/applications/" + stagingId + "/domains", dev, "{\"domain\":\"staging.example.com\"}").status())
                    .isEqualTo(201);
            assertThat(server.get("/applications/" + webId + "/envs?reveal=true", dev).body()).contains("production")
                    .doesNotContain("\"staging\"");
            assertThat(server.get("/applications/" + stagingId + "/envs?reveal=true", dev).body()).contains("staging");
            assertThat(server.get("/applications/" + webId + "/domains", dev).body()).doesNotContain("staging.example.com");
            // The TLS state of each domain: this engine has no reverse proxy, and says so.
            Answer tls = server.get("/applications/" + stagingId + "/tls", viewer);
            assertThat(tls.status()).as(tls.body()).isEqualTo(200);
            assertThat(tls.json().findValuesAsText("hostname")).contains("staging.example.com");
            assertThat(tls.json().findValuesAsText("state")).containsOnly("no-proxy");

            // The source's repository change reaches the counterpart; the counterpart cannot change it on its own.
            assertThat(server.send("PUT", "/applications/" + webId, dev, "{\"git_url\":\"https://git.example.com/web-v2.git\"}")
                    .status()).isEqualTo(200);
            assertThat(server.get("/applications/" + stagingId, dev).json().path("git_url").asText())
                    .isEqualTo("https://git.example.com/web-v2.git");
            assertThat(server.get("/applications/" + stagingId, dev).json().path("branch").asText()).isEqualTo("develop");
            Answer own = server.send("PUT", "/applications/" + stagingId, dev, "{\"git_url\":\"https://evil.example.com/x.git\"}");
            assertThat(own.status()).isEqualTo(400);
            assertThat(own.errorField()).isEqualTo("git_url");
            assertThat(server.send("PUT", "/applications/" + stagingId, dev, "{\"branch\":\"release\"}").status()).isEqualTo(200);

            Answer placed = server.get("/projects/alpha/environments/staging/applications", viewer);
            assertThat(placed.status()).isEqualTo(200);
            assertThat(placed.json()).hasSize(1);
            assertThat(placed.json().path(0).path("application_id").asText()).isEqualTo(stagingId);
            assertThat(placed.json().path(0).path("source_application_id").asText()).isEqualTo(webId);
            assertThat(server.get("/projects/alpha/environments/production/applications", viewer).body()).contains(webId)
                    .doesNotContain(stagingId);

            assertThat(server.send("DELETE", "/projects/alpha/environments/staging", owner, null).status()).isEqualTo(409);
            assertThat(server.send("DELETE", "/projects/alpha/environments/production", owner, null).status()).isEqualTo(400);
            assertThat(server.send("DELETE", "/applications/" + stagingId, owner, null).status()).isEqualTo(204);
            assertThat(server.send("DELETE", "/projects/alpha/environments/staging", dev, null).status()).isEqualTo(403);
            assertThat(server.send("DELETE", "/projects/alpha/environments/staging", owner, null).status()).isEqualTo(204);
            assertThat(server.get("/projects/alpha/environments", viewer).json()).hasSize(1);
        }
    }

    private static io.ployer.api.Ployer unwrap(ServerFixture server) {
        return server.ployer;
    }
}
