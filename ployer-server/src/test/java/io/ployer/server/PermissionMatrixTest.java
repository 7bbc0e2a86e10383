package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.server.ServerFixture.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation of the served OpenAPI document × every kind of caller, on one server: the
 * operation's declared permission ({@code x-ployer-permission}) says which callers pass, which are
 * refused with 403 and which are told 404. An operation without a declared permission fails here,
 * so a new endpoint cannot ship without saying who may call it.
 *
 * <p>No Docker is needed: a caller who passes the permission may still get 400, 404 (a container
 * that does not exist), 409 or 503; the test asserts only the permission outcome.
 */
class PermissionMatrixTest {
    private static final List<String> ROLES = List.of("owner", "admin", "project-admin", "developer", "viewer",
            "other-project", "no-membership");
    /** The least project role each action needs, as a rank: 0 project admin, 1 developer, 2 viewer. */
    private static final Map<String, Integer> ACTION_RANK = Map.of("admin", 0, "write", 1, "deploy", 1, "read", 2);
    private static final Map<String, Integer> ROLE_RANK = Map.of("owner", 0, "admin", 0, "project-admin", 0, "developer", 1,
            "viewer", 2);
    /** Operations that change the caller's own account or credential: declared, not executed (they would end the session). */
    private static final Set<String> NOT_EXECUTED = Set.of("self");

    @TempDir
    Path data;

    private final AtomicInteger counter = new AtomicInteger();

    @Test
    void everyOperationAnswersEveryRoleAsItsDeclaredPermissionSays() {
        try (ServerFixture server = new ServerFixture(data)) {
            Map<String, String> tokens = new LinkedHashMap<>();
            String owner = server.login("owner@example.com", "owner-password");
            tokens.put("owner", owner);
            server.send("PUT", "/auth/registration", owner, "{\"open\":true}");
            assertThat(server.post("/projects", owner, "{\"id\":\"alpha\",\"name\":\"Alpha\"}").status()).isEqualTo(201);
            assertThat(server.post("/projects", owner, "{\"id\":\"beta\",\"name\":\"Beta\"}").status()).isEqualTo(201);
            tokens.put("admin", user(server, owner, "admin", null, null));
            tokens.put("project-admin", user(server, owner, "project-admin", "alpha", "admin"));
            tokens.put("developer", user(server, owner, "developer", "alpha", "developer"));
            tokens.put("viewer", user(server, owner, "viewer", "alpha", "viewer"));
            tokens.put("other-project", user(server, owner, "other-project", "beta", "admin"));
            tokens.put("no-membership", user(server, owner, "no-membership", null, null));
            String bystanderId = server.get("/auth/me", user(server, owner, "bystander", "alpha", "viewer")).json().path("id").asText();

            JsonNode paths = server.get("/openapi.json", null).json().path("paths");
            List<String> undeclared = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            int checked = 0;
            for (Iterator<Map.Entry<String, JsonNode>> pathIterator = paths.properties().iterator(); pathIterator.hasNext(); ) {
                Map.Entry<String, JsonNode> path = pathIterator.next();
                for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().properties().iterator(); methods.hasNext(); ) {
                    Map.Entry<String, JsonNode> operation = methods.next();
                    String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                    String name = method + " " + path.getKey();
                    String permission = operation.getValue().path("x-ployer-permission").asText(null);
                    if (permission == null) {
                        undeclared.add(name);
                        continue;
                    }
                    if (NOT_EXECUTED.contains(permission) || path.getKey().equals("/ws")
                            || (permission.equals("public") && !method.equals("GET"))
                            || (permission.equals("authenticated") && !method.equals("GET") && !path.getKey().endsWith("/validate"))) {
                        continue;
                    }
                    for (String role : ROLES) {
                        Target target = target(server, owner, path.getKey(), method, bystanderId);
                        Answer answer = server.send(method, target.path(), tokens.get(role), target.body());
                        checked++;
                        String problem = judge(permission, role, answer.status());
                        if (problem == null && answer.status() == 404 && passes(permission, role)
                                && !target.path().contains("/none") && answer.body().matches("(?s).*\"(application|project|deployment|database) not found.*")) {
                            problem = "expected to pass, not to be told its own resource does not exist";
                        }
                        if (problem != null) {
                            wrong.add(name + " as " + role + " (" + permission + "): " + problem + " — got " + answer.status()
                                    + " " + abbreviate(answer.body()));
                        }
                    }
                }
            }
            assertThat(undeclared).as("operations without x-ployer-permission (declare them in OperationPermissions)").isEmpty();
            assertThat(wrong).as("operations answering a role against their declared permission").isEmpty();
            assertThat(checked).isGreaterThan(300);
        }
    }

    /** Registers a user, makes them a member (or, for {@code admin}, an instance admin); returns a session token. */
    private static String user(ServerFixture server, String owner, String name, String project, String role) {
        String token = server.login(name + "@example.com", name + "-password");
        String id = server.ployer.accounts().users().stream().filter(user -> user.email().equals(name + "@example.com"))
                .findFirst().orElseThrow().id();
        if (name.equals("admin")) { // before the token is first resolved (and its principal cached)
            server.ployer.accounts().setRole(id, io.ployer.api.account.Role.ADMIN);
        }
        if (project != null) {
            assertThat(server.send("PUT", "/projects/" + project + "/members/" + id, owner, "{\"role\":\"" + role + "\"}").status())
                    .isEqualTo(200);
        }
        return token;
    }

    /** What an answer to {@code role} must be under {@code permission}: null when right, else what was expected. */
    private static String judge(String permission, String role, int status) {
        boolean instanceAdmin = role.equals("owner") || role.equals("admin");
        if (status == 500 || status == 401) {
            return "never a 500 or 401 for a signed-in caller";
        }
        switch (permission) {
            case "public", "authenticated", "self" -> {
                return status == 403 ? "expected to pass" : null;
            }
            case "instance-owner" -> {
                return role.equals("owner") ? (status == 403 ? "expected to pass" : null) : (status == 403 ? null : "expected 403");
            }
            case "instance-admin" -> {
                return instanceAdmin ? (status == 403 ? "expected to pass" : null) : (status == 403 ? null : "expected 403");
            }
            default -> {
                String[] parts = permission.split(":");
                boolean create = parts[1].equals("create");
                int needed = create ? 1 : ACTION_RANK.get(parts[1]);
                Integer rank = ROLE_RANK.get(role);
                if (rank == null) { // no role in alpha
                    int invisible = create ? 400 : 404;
                    return status == invisible ? null : "expected " + invisible;
                }
                if (rank <= needed) {
                    return status == 403 ? "expected to pass" : null;
                }
                return status == 403 ? null : "expected 403";
            }
        }
    }

    /** Whether {@code role} holds what a project-scoped {@code permission} needs in alpha. */
    private static boolean passes(String permission, String role) {
        String[] parts = permission.split(":");
        if (parts.length != 2 || !ROLE_RANK.containsKey(role)) {
            return false;
        }
        return ROLE_RANK.get(role) <= (parts[1].equals("create") ? 1 : ACTION_RANK.get(parts[1]));
    }

    /**
     * The target of one request. Operations that delete get an application (or deployment) of their
     * own; the others share one, so the matrix makes a handful of applications, not hundreds.
     */
    private Target target(ServerFixture server, String owner, String template, String method, String bystanderId) {
        int n = counter.incrementAndGet();
        String path = template;
        boolean destructive = method.equals("DELETE") || template.endsWith("/cancel") || template.endsWith("/rollback");
        if (template.startsWith("/applications/{id}")) {
            path = path.replace("{id}", destructive ? application(server, owner, n) : shared(server, owner, "application", n));
        } else if (template.startsWith("/deployments/{id}")) {
            path = path.replace("{id}", destructive ? deployment(server, owner, application(server, owner, n))
                    : shared(server, owner, "deployment", n));
        } else if (template.startsWith("/databases/{id}")) {
            path = path.replace("{id}", destructive ? database(n) : shared.computeIfAbsent("database", ignored -> database(n)));
        } else if (template.equals("/audit")) {
            path = "/audit?project_id=alpha";
        } else if (template.startsWith("/projects/{id}")) {
            path = path.replace("{id}", "alpha");
        } else if (template.equals("/auth/users/{id}") && method.equals("DELETE")) {
            path = path.replace("{id}", server.get("/auth/me", user(server, owner, "removable-" + n, null, null)).json().path("id").asText());
        } else if (template.startsWith("/auth/users/{id}")) {
            path = path.replace("{id}", bystanderId);
        } else {
            path = path.replace("{id}", "matrix-" + n);
        }
        path = path.replace("{userId}", bystanderId).replace("{domain}", "m" + n + ".example.com").replace("{key}", "K")
                .replace("{environment}", "production").replace("{volumeId}", "no-such-volume").replace("{name}", "matrix-volume-" + n).replace("{provider}", "github");
        // any other path parameter (a new endpoint's): an id that names nothing
        path = path.replaceAll("\\{[A-Za-z]+}", "no-such-" + n);
        return new Target(path, body(method + " " + template, n));
    }

    private final Map<String, String> shared = new LinkedHashMap<>();

    private String shared(ServerFixture server, String owner, String kind, int n) {
        return shared.computeIfAbsent(kind, ignored -> kind.equals("application") ? application(server, owner, n)
                : deployment(server, owner, application(server, owner, n)));
    }

    /**
     * A database of project alpha as the engine records one, written straight into the server's storage:
     * creating one through the API needs a container runtime and an image, and this test needs neither.
     * It has no container, so operations that would touch one answer 409 (never 403 to a role that passes).
     */
    private String database(int n) {
        String id = "db-matrix-" + n;
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ployer.db"));
             java.sql.PreparedStatement insert = connection.prepareStatement("INSERT INTO databases (id, name, engine, version, image,"
                     + " username, database_name, port, public_port, status, password_ciphertext, created_at, project_id)"
                     + " VALUES (?, ?, 'POSTGRESQL', '15', 'postgres:15', 'ployer', 'matrix', 5432, 0, 'STOPPED', 'none', 0, 'alpha')")) {
            insert.setString(1, id);
            insert.setString(2, "matrix-db-" + n);
            insert.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new AssertionError("could not record a database for the matrix: " + e.getMessage(), e);
        }
        return id;
    }

    private static String application(ServerFixture server, String owner, int n) {
        Answer app = server.post("/applications", owner, "{\"name\":\"m" + n + "\",\"git_url\":\"https://git.example.com/m.git\","
                + "\"project_id\":\"alpha\"}");
        assertThat(app.status()).as(app.body()).isEqualTo(201);
        return app.json().path("id").asText();
    }

    /** A deployment of the application: the engine records one even when it cannot run it here ("none" when it records none). */
    private static String deployment(ServerFixture server, String owner, String applicationId) {
        Answer deployment = server.post("/applications/" + applicationId + "/deploy", owner, "{}");
        return deployment.status() == 202 ? deployment.json().path("id").asText()
                : server.get("/deployments?app_id=" + applicationId, owner).json().path(0).path("id").asText("none");
    }

    private static String body(String operation, int n) {
        return switch (operation) {
            case "POST /applications" -> "{\"name\":\"c" + n + "\",\"git_url\":\"https://git.example.com/c.git\",\"project_id\":\"alpha\"}";
            case "PUT /applications/{id}" -> "{\"branch\":\"develop\"}";
            case "POST /applications/{id}/envs" -> "{\"key\":\"K\",\"value\":\"v\"}";
            case "PUT /applications/{id}/envs/{key}" -> "{\"value\":\"v\"}";
            case "PUT /applications/{id}/git-token" -> "{\"token\":\"t0ken-value-" + n + "\"}";
            case "POST /applications/{id}/domains" -> "{\"domain\":\"d" + n + ".example.com\"}";
            case "POST /applications/{id}/health-check" -> "{\"path\":\"/\"}";
            case "POST /applications/{id}/volumes" -> "{\"name\":\"data\",\"container_path\":\"/data\"}";
            case "POST /applications/{id}/webhooks" -> "{\"provider\":\"github\"}";
            case "PUT /applications/{id}/webhooks" -> "{\"enabled\":true}";
            case "POST /projects" -> "{\"id\":\"p" + n + "\",\"name\":\"P\"}";
            case "PUT /projects/{id}" -> "{\"name\":\"Alpha\"}";
            case "POST /databases" -> "{\"name\":\"d" + n + "\",\"engine\":\"postgresql\",\"project_id\":\"alpha\"}";
            case "POST /templates/{name}/instantiate" -> "{\"name\":\"t" + n + "\",\"project_id\":\"alpha\"}";
            case "PUT /projects/{id}/members/{userId}" -> "{\"role\":\"viewer\"}";
            case "POST /projects/{id}/invitations" -> "{\"role\":\"viewer\"}";
            case "POST /projects/{id}/environments" -> "{\"name\":\"e" + n + "\"}";
            case "PUT /auth/registration" -> "{\"open\":true}";
            case "PUT /auth/users/{id}/role" -> "{\"role\":\"user\"}";
            default -> "{}";
        };
    }

    private static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    private record Target(String path, String body) {
    }
}
