package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.server.ServerFixture.Answer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Projects and roles over real HTTP: the attack of issue 14 (a member of project B repoints project
 * A's application at their own repository and deploys it) is refused, a viewer sees no secret and
 * no container output, invitations are single use, and an embedder calling the Java API with the
 * same principal gets the same answers.
 */
class ProjectPermissionsTest {
    private static final String SECRET = "s3cret-db-password-7731";

    @TempDir
    Path data;

    /** Registers and logs in a user, then makes them a member of {@code project} with {@code role} (null: none). */
    private static String member(ServerFixture server, String admin, String email, String project, String role) {
        String token = server.login(email, email + "-password");
        if (project != null) {
            String userId = server.get("/auth/me", token).json().path("id").asText();
            Answer added = server.send("PUT", "/projects/" + project + "/members/" + userId, admin, "{\"role\":\"" + role + "\"}");
            assertThat(added.status()).as(added.body()).isEqualTo(200);
        }
        return token;
    }

    @Test
    void aMemberOfAnotherProjectCannotRepointOrDeployAnApplicationItCannotSee() {
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            assertThat(server.post("/projects", admin, "{\"id\":\"alpha\",\"name\":\"Alpha\"}").status()).isEqualTo(201);
            assertThat(server.post("/projects", admin, "{\"id\":\"beta\",\"name\":\"Beta\"}").status()).isEqualTo(201);
            Answer created = server.post("/applications", admin,
                    "{\"name\":\"payments\",\"git_url\":\"https://git.example.com/payments.git\",\"project_id\":\"alpha\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().path("project_id").asText()).isEqualTo("alpha");
            String app = "/applications/" + created.json().path("id").asText();
            assertThat(server.post(app + "/envs", admin, "{\"key\":\"DB_PASSWORD\",\"value\":\"" + SECRET + "\"}").status()).isEqualTo(201);

            // Mallory administers project beta: a real member, just not of alpha.
            String mallory = member(server, admin, "mallory@example.com", "beta", "admin");
            assertThat(server.post("/applications", mallory,
                    "{\"name\":\"mallory-app\",\"git_url\":\"https://git.example.com/m.git\",\"project_id\":\"beta\"}").status())
                    .isEqualTo(201);

            Answer listed = server.get("/applications", mallory);
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body()).contains("mallory-app").doesNotContain("payments");
            assertThat(server.get(app, mallory).status()).isEqualTo(404);
            Answer repoint = server.send("PUT", app, mallory, "{\"git_url\":\"https://evil.example.com/steal.git\"}");
            assertThat(repoint.status()).isEqualTo(404);
            assertThat(repoint.errorCode()).isEqualTo("NOT_FOUND");
            assertThat(server.send("PUT", app, mallory, "{\"project_id\":\"beta\"}").status()).isEqualTo(404);
            assertThat(server.post(app + "/deploy", mallory, "{}").status()).isEqualTo(404);
            Answer reveal = server.get(app + "/envs?reveal=true", mallory);
            assertThat(reveal.status()).isEqualTo(404);
            assertThat(reveal.body()).doesNotContain(SECRET);
            assertThat(server.post(app + "/envs", mallory, "{\"key\":\"X\",\"value\":\"y\"}").status()).isEqualTo(404);
            assertThat(server.send("DELETE", app, mallory, null).status()).isEqualTo(404);
            assertThat(server.get("/projects/alpha", mallory).status()).isEqualTo(404);
            assertThat(server.get("/projects", mallory).body()).contains("beta").doesNotContain("alpha");
            // Nor may they put an application into a project they cannot see (answered as if it did not exist).
            Answer intoAlpha = server.post("/applications", mallory,
                    "{\"name\":\"sneaky\",\"git_url\":\"https://git.example.com/s.git\",\"project_id\":\"alpha\"}");
            assertThat(intoAlpha.status()).isEqualTo(400);
            assertThat(intoAlpha.errorField()).isEqualTo("project_id");

            // Nothing changed: the admin still sees the original repository.
            Answer after = server.get(app, admin);
            assertThat(after.json().path("git_url").asText()).isEqualTo("https://git.example.com/payments.git");
            assertThat(after.json().path("project_id").asText()).isEqualTo("alpha");

            // An embedder calling the Java API with Mallory's principal gets the same answers.
            Principal principal = server.ployer.accounts().authenticate(mallory).orElseThrow();
            String appId = created.json().path("id").asText();
            assertThatThrownBy(() -> server.ployer.as(principal).applications().get(appId))
                    .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.code()).isEqualTo(StandardErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> server.ployer.as(principal).deployments()
                    .deploy(io.ployer.api.deployment.DeploymentRequest.of(appId)))
                    .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.code()).isEqualTo(StandardErrorCode.NOT_FOUND));
            assertThat(server.ployer.as(principal).applications().list()).extracting(a -> a.name()).containsExactly("mallory-app");
        }
    }

    @Test
    void viewersReadWithoutSecretsOrContainerOutputAndDevelopersDeployButManageNoMembers() {
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            server.post("/projects", admin, "{\"id\":\"alpha\",\"name\":\"Alpha\"}");
            String app = "/applications/" + server.post("/applications", admin,
                    "{\"name\":\"payments\",\"git_url\":\"https://git.example.com/payments.git\",\"project_id\":\"alpha\"}")
                    .json().path("id").asText();
            server.post(app + "/envs", admin, "{\"key\":\"DB_PASSWORD\",\"value\":\"" + SECRET + "\"}");
            String viewer = member(server, admin, "viewer@example.com", "alpha", "viewer");
            String developer = member(server, admin, "dev@example.com", "alpha", "developer");

            assertThat(server.get(app, viewer).status()).isEqualTo(200);
            Answer masked = server.get(app + "/envs", viewer);
            assertThat(masked.status()).isEqualTo(200);
            assertThat(masked.body()).contains("DB_PASSWORD").doesNotContain(SECRET);
            Answer reveal = server.get(app + "/envs?reveal=true", viewer);
            assertThat(reveal.status()).isEqualTo(403);
            assertThat(reveal.body()).doesNotContain(SECRET);
            assertThat(server.get("/containers/payments-container/logs", viewer).status()).isEqualTo(403);
            assertThat(server.send("PUT", app, viewer, "{\"branch\":\"evil\"}").status()).isEqualTo(403);
            assertThat(server.post(app + "/deploy", viewer, "{}").status()).isEqualTo(403);
            assertThat(server.get("/projects/alpha/members", viewer).status()).isEqualTo(200);

            assertThat(server.send("PUT", app, developer, "{\"branch\":\"develop\"}").status()).isEqualTo(200);
            assertThat(server.get(app + "/envs?reveal=true", developer).body()).contains(SECRET);
            // No Docker here: the deploy passes the permission check and fails (or queues) for other reasons.
            assertThat(server.post(app + "/deploy", developer, "{}").status()).isNotIn(401, 403, 404);
            String viewerId = server.get("/auth/me", viewer).json().path("id").asText();
            assertThat(server.send("PUT", "/projects/alpha/members/" + viewerId, developer, "{\"role\":\"admin\"}").status())
                    .isEqualTo(403);
            assertThat(server.post("/projects/alpha/invitations", developer, "{\"role\":\"admin\"}").status()).isEqualTo(403);
            assertThat(server.send("DELETE", app, developer, null).status()).isEqualTo(403);
        }
    }

    @Test
    void anInvitationIsAcceptedOnceAndBeforeItExpires() {
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            server.post("/projects", admin, "{\"id\":\"alpha\",\"name\":\"Alpha\"}");
            String lead = member(server, admin, "lead@example.com", "alpha", "admin");
            Answer invitation = server.post("/projects/alpha/invitations", lead, "{\"role\":\"developer\",\"valid_for_seconds\":3600}");
            assertThat(invitation.status()).as(invitation.body()).isEqualTo(201);
            String token = invitation.json().path("token").asText();
            assertThat(token).startsWith("ployer_inv_");

            String newcomer = server.login("new@example.com", "new-password-1");
            assertThat(server.get("/projects/alpha", newcomer).status()).isEqualTo(404);
            Answer accepted = server.post("/invitations/accept", newcomer, "{\"token\":\"" + token + "\"}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
            assertThat(accepted.json().path("role").asText()).isEqualTo("DEVELOPER");
            assertThat(server.get("/projects/alpha", newcomer).status()).isEqualTo(200);

            String other = server.login("other@example.com", "other-password-1");
            assertThat(server.post("/invitations/accept", other, "{\"token\":\"" + token + "\"}").status()).isEqualTo(404);
            assertThat(server.post("/invitations/accept", other, "{\"token\":\"ployer_inv_guess\"}").status()).isEqualTo(404);
            assertThat(server.get("/projects/alpha", other).status()).isEqualTo(404);
            assertThat(server.post("/projects/alpha/invitations", lead, "{\"role\":\"viewer\",\"valid_for_seconds\":5}").status())
                    .isEqualTo(400);
        }
    }

    @Test
    void anApiKeyNarrowedToOneProjectReachesNothingElseEvenForAnAdmin() {
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            server.post("/projects", admin, "{\"id\":\"alpha\",\"name\":\"Alpha\"}");
            server.post("/projects", admin, "{\"id\":\"beta\",\"name\":\"Beta\"}");
            String alphaApp = "/applications/" + server.post("/applications", admin,
                    "{\"name\":\"payments\",\"git_url\":\"https://git.example.com/p.git\",\"project_id\":\"alpha\"}").json().path("id").asText();
            String betaApp = "/applications/" + server.post("/applications", admin,
                    "{\"name\":\"blog\",\"git_url\":\"https://git.example.com/b.git\",\"project_id\":\"beta\"}").json().path("id").asText();
            Answer created = server.post("/auth/api-keys", admin, "{\"name\":\"beta-ci\",\"scopes\":[\"read\",\"write\",\"deploy\"],"
                    + "\"project_id\":\"beta\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().path("project_id").asText()).isEqualTo("beta");
            String key = created.json().path("key").asText();

            assertThat(server.get(betaApp, key).status()).isEqualTo(200);
            assertThat(server.get(alphaApp, key).status()).isEqualTo(404);
            assertThat(server.get("/applications", key).body()).contains("blog").doesNotContain("payments");
            assertThat(server.post("/projects", key, "{\"id\":\"gamma\",\"name\":\"G\"}").status()).isEqualTo(403);
            assertThat(server.get("/containers/x/logs", key).status()).isEqualTo(403);
            // A narrowed key cannot mint a wider one.
            Answer minted = server.post("/auth/api-keys", key, "{\"name\":\"wider\",\"scopes\":[\"read\"]}");
            assertThat(minted.status()).isEqualTo(201);
            assertThat(minted.json().path("project_id").asText()).isEqualTo("beta");
            assertThat(server.post("/auth/api-keys", key, "{\"name\":\"other\",\"scopes\":[\"read\"],\"project_id\":\"alpha\"}")
                    .status()).isEqualTo(400);
            // A user may narrow a key only to a project they are in.
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            String outsider = server.login("outsider@example.com", "outsider-password");
            Answer refused = server.post("/auth/api-keys", outsider, "{\"name\":\"k\",\"scopes\":[\"read\"],\"project_id\":\"alpha\"}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.errorField()).isEqualTo("project_id");
        }
    }
}
