package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.server.ServerFixture.Answer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client mistakes of every kind answer the documented 4xx with the JSON error shape, never a 500,
 * change nothing, and leave the server serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCatalogueTest {
    @TempDir
    static Path data;
    ServerFixture server;
    String admin;
    String user;
    String readOnlyKey;
    String revokedToken;
    String appId;

    /** One catalogue entry. */
    record Case(String name, String method, String path, String token, HttpRequest.BodyPublisher body, String contentType,
                int status, String code, String field) {
    }

    @BeforeAll
    void start() {
        server = new ServerFixture(data);
        admin = server.login("admin@example.com", "admin-password");
        server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
        user = server.login("user@example.com", "user-password");
        readOnlyKey = server.post("/auth/api-keys", admin, "{\"name\":\"ro\",\"scopes\":[\"read\"]}").json().path("key").asText();
        revokedToken = server.login("user@example.com", "user-password");
        server.post("/auth/logout", revokedToken, null);
        appId = server.post("/applications", admin, "{\"name\":\"target\",\"git_url\":\"https://git.example.com/t.git\"}")
                .json().path("id").asText();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Case json(String name, String method, String path, String token, String body, int status, String code, String field) {
        return new Case(name, method, path, token, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body), "application/json", status, code, field);
    }

    private List<Case> catalogue() {
        String app = "/applications/" + appId;
        List<Case> cases = new ArrayList<>();
        // malformed and mistyped JSON
        cases.add(json("malformed JSON", "POST", "/applications", admin, "{\"name\": ", 400, "INVALID_ARGUMENT", "body"));
        cases.add(json("not an object", "POST", "/applications", admin, "[1,2,3]", 400, "INVALID_ARGUMENT", null));
        cases.add(json("trailing garbage", "POST", "/applications", admin, "{\"name\":\"x\"} {}", 400, "INVALID_ARGUMENT", null));
        cases.add(json("port as text", "POST", "/applications", admin, "{\"name\":\"p\",\"git_url\":\"https://g.example.com/a.git\",\"port\":\"eighty\"}", 400, "INVALID_ARGUMENT", "port"));
        cases.add(json("port as float", "POST", "/applications", admin, "{\"name\":\"p\",\"git_url\":\"https://g.example.com/a.git\",\"port\":80.5}", 400, "INVALID_ARGUMENT", "port"));
        cases.add(json("auto_deploy as text", "POST", "/applications", admin, "{\"name\":\"p\",\"git_url\":\"https://g.example.com/a.git\",\"auto_deploy\":\"yes\"}", 400, "INVALID_ARGUMENT", "auto_deploy"));
        cases.add(json("unknown enum", "POST", "/applications", admin, "{\"name\":\"p\",\"git_url\":\"https://g.example.com/a.git\",\"restart_policy\":\"sometimes\"}", 400, "INVALID_ARGUMENT", "restart_policy"));
        cases.add(json("unknown field", "POST", "/applications", admin, "{\"name\":\"p\",\"git_url\":\"https://g.example.com/a.git\",\"colour\":\"red\"}", 400, "INVALID_ARGUMENT", "colour"));
        cases.add(json("nested wrong type", "POST", "/applications", admin, "{\"name\":\"p\",\"git_url\":\"https://g.example.com/a.git\",\"limits\":{\"cpus\":\"many\"}}", 400, "INVALID_ARGUMENT", "limits.cpus"));
        cases.add(json("build_config not a map", "POST", "/applications", admin, "{\"name\":\"p\",\"git_url\":\"https://g.example.com/a.git\",\"build_config\":[1]}", 400, "INVALID_ARGUMENT", "build_config"));
        cases.add(json("empty body", "POST", "/applications", admin, null, 400, "INVALID_ARGUMENT", "body"));
        cases.add(new Case("wrong content type", "POST", "/applications", admin, HttpRequest.BodyPublishers.ofString("name=x"),
                "application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE", null));
        cases.add(new Case("oversized body", "POST", "/applications", admin,
                HttpRequest.BodyPublishers.ofString("{\"name\":\"" + "a".repeat(1024 * 1024 + 10) + "\"}"), "application/json",
                413, "PAYLOAD_TOO_LARGE", null));
        // validation at the edge
        cases.add(json("missing name", "POST", "/applications", admin, "{\"git_url\":\"https://g.example.com/a.git\"}", 400, "INVALID_ARGUMENT", "name"));
        cases.add(json("bad name", "POST", "/applications", admin, "{\"name\":\"Bad Name\",\"git_url\":\"https://g.example.com/a.git\"}", 400, "INVALID_ARGUMENT", "name"));
        cases.add(json("SQL injection name", "POST", "/applications", admin, "{\"name\":\"x'; DROP TABLE applications;--\",\"git_url\":\"https://g.example.com/a.git\"}", 400, "INVALID_ARGUMENT", "name"));
        cases.add(json("duplicate name", "POST", "/applications", admin, "{\"name\":\"target\",\"git_url\":\"https://g.example.com/a.git\"}", 409, "CONFLICT", "name"));
        cases.add(json("ext:: git url", "POST", "/applications", admin, "{\"name\":\"evil\",\"git_url\":\"ext::sh -c id\"}", 400, "INVALID_ARGUMENT", "git_url"));
        cases.add(json("credentials in git url", "POST", "/applications", admin, "{\"name\":\"creds\",\"git_url\":\"https://u:p@g.example.com/a.git\"}", 400, "INVALID_ARGUMENT", "git_url"));
        cases.add(json("option-like branch", "POST", "/applications", admin, "{\"name\":\"branchy\",\"git_url\":\"https://g.example.com/a.git\",\"branch\":\"--upload-pack=evil\"}", 400, "INVALID_ARGUMENT", "branch"));
        cases.add(json("port out of range", "POST", "/applications", admin, "{\"name\":\"porty\",\"git_url\":\"https://g.example.com/a.git\",\"port\":70000}", 400, "INVALID_ARGUMENT", "port"));
        cases.add(json("env key with shell", "POST", app + "/envs", admin, "{\"key\":\"A;rm -rf /\",\"value\":\"v\"}", 400, "INVALID_ARGUMENT", "key"));
        cases.add(json("env value with NUL", "POST", app + "/envs", admin, "{\"key\":\"A\",\"value\":\"a\\u0000b\"}", 400, "INVALID_ARGUMENT", "value"));
        cases.add(json("env missing value", "POST", app + "/envs", admin, "{\"key\":\"A\"}", 400, "INVALID_ARGUMENT", "value"));
        cases.add(json("domain is an IP", "POST", app + "/domains", admin, "{\"domain\":\"10.0.0.1\"}", 400, "INVALID_ARGUMENT", "hostname"));
        cases.add(json("domain with script", "POST", app + "/domains", admin, "{\"domain\":\"<script>.example.com\"}", 400, "INVALID_ARGUMENT", "hostname"));
        cases.add(json("wildcard domain", "POST", app + "/domains", admin, "{\"domain\":\"*.example.com\"}", 400, "INVALID_ARGUMENT", "hostname"));
        cases.add(json("health check path", "POST", app + "/health-check", admin, "{\"path\":\"no-slash\"}", 400, "INVALID_ARGUMENT", "path"));
        cases.add(json("health check status range", "POST", app + "/health-check", admin, "{\"path\":\"/\",\"expected_status_min\":500,\"expected_status_max\":200}", 400, "INVALID_ARGUMENT", "expected_status"));
        cases.add(json("deploy a bad commit", "POST", app + "/deploy", admin, "{\"commit_sha\":\"not-a-sha; rm\"}", 400, "INVALID_ARGUMENT", "commit_sha"));
        cases.add(json("unknown webhook provider", "POST", app + "/webhooks", admin, "{\"provider\":\"svn\"}", 400, "INVALID_ARGUMENT", "provider"));
        cases.add(json("bad deployment status filter", "GET", "/deployments?status=sleeping", admin, null, 400, "INVALID_ARGUMENT", "status"));
        cases.add(json("bad limit", "GET", "/deployments?limit=-1", admin, null, 400, "INVALID_ARGUMENT", "limit"));
        cases.add(json("bad stats range", "GET", app + "/stats?from=yesterday", admin, null, 400, "INVALID_ARGUMENT", "from"));
        // issue 11 item 20: instants Instant.parse accepts but millisecond arithmetic cannot hold
        cases.add(json("stats from the year -1e9", "GET", app + "/stats?from=-1000000000-01-01T00:00:00Z", admin, null, 400, "INVALID_ARGUMENT", "from"));
        cases.add(json("stats to the year 1e9", "GET", app + "/stats?to=%2B1000000000-12-31T23:59:59Z", admin, null, 400, "INVALID_ARGUMENT", "to"));
        cases.add(json("stats over the whole time line", "GET", app + "/stats?from=-1000000000-01-01T00:00:00Z&to=%2B1000000000-12-31T23:59:59Z&step=60",
                admin, null, 400, "INVALID_ARGUMENT", "to"));
        // issue 11 item 21: no scalar coercion into text, numbers or booleans
        cases.add(json("name as a number", "POST", "/applications", admin, "{\"name\":123,\"git_url\":\"https://g.example.com/a.git\"}", 400, "INVALID_ARGUMENT", "name"));
        cases.add(json("name as a boolean", "POST", "/applications", admin, "{\"name\":true,\"git_url\":\"https://g.example.com/a.git\"}", 400, "INVALID_ARGUMENT", "name"));
        cases.add(json("port as numeric text", "POST", "/applications", admin, "{\"name\":\"p\",\"git_url\":\"https://g.example.com/a.git\",\"port\":\"80\"}", 400, "INVALID_ARGUMENT", "port"));
        cases.add(json("auto_deploy as a number", "POST", "/applications", admin, "{\"name\":\"p\",\"git_url\":\"https://g.example.com/a.git\",\"auto_deploy\":1}", 400, "INVALID_ARGUMENT", "auto_deploy"));
        cases.add(json("env value as a number", "POST", app + "/envs", admin, "{\"key\":\"A\",\"value\":5}", 400, "INVALID_ARGUMENT", "value"));
        cases.add(json("build arg as a number", "POST", "/applications", admin, "{\"name\":\"p\",\"git_url\":\"https://g.example.com/a.git\",\"build_config\":{\"a\":1}}", 400, "INVALID_ARGUMENT", "build_config.a"));
        // issue 11 item 23: health-check paths the probe cannot turn into a URI
        cases.add(json("health check path with braces", "POST", app + "/health-check", admin, "{\"path\":\"/{x}\"}", 400, "INVALID_ARGUMENT", "path"));
        cases.add(json("health check path with a bad escape", "POST", app + "/health-check", admin, "{\"path\":\"/%zz\"}", 400, "INVALID_ARGUMENT", "path"));
        cases.add(json("health check path with a pipe", "POST", app + "/health-check", admin, "{\"path\":\"/a|b\"}", 400, "INVALID_ARGUMENT", "path"));
        cases.add(json("health check path with a fragment", "POST", app + "/health-check", admin, "{\"path\":\"/a#b\"}", 400, "INVALID_ARGUMENT", "path"));
        // unknown ids and injection in paths
        cases.add(json("unknown app", "GET", "/applications/00000000-0000-0000-0000-000000000000", admin, null, 404, "NOT_FOUND", null));
        cases.add(json("injection in path", "GET", "/applications/x'%20OR%20'1'='1", admin, null, 404, "NOT_FOUND", null));
        cases.add(json("very long id", "GET", "/applications/" + "a".repeat(2000), admin, null, 404, "NOT_FOUND", null));
        cases.add(json("unknown deployment", "POST", "/deployments/nope/cancel", admin, null, 404, "NOT_FOUND", null));
        cases.add(json("unknown route", "GET", "/nothing-here", admin, null, 404, "NOT_FOUND", null));
        cases.add(json("wrong method", "PATCH", "/applications", admin, "{}", 405, "METHOD_NOT_ALLOWED", null));
        cases.add(json("delete unknown env", "DELETE", app + "/envs/NOPE", admin, null, 404, "NOT_FOUND", null));
        // authentication and authorisation
        cases.add(json("no token", "GET", "/applications", null, null, 401, "UNAUTHENTICATED", null));
        cases.add(json("malformed token", "GET", "/applications", "not-a-real-token", null, 401, "UNAUTHENTICATED", null));
        cases.add(json("basic auth", "GET", "/applications", "Basic YWRtaW46YWRtaW4=", null, 401, "UNAUTHENTICATED", null));
        cases.add(json("revoked token", "GET", "/applications", revokedToken, null, 401, "UNAUTHENTICATED", null));
        cases.add(json("read-only key writes", "POST", "/applications", readOnlyKey, "{\"name\":\"ro\",\"git_url\":\"https://g.example.com/a.git\"}", 403, "PERMISSION_DENIED", null));
        cases.add(json("read-only key deploys", "POST", app + "/deploy", readOnlyKey, "{}", 403, "PERMISSION_DENIED", null));
        // A user with no role in the application's project does not see it: not found, so ids do not leak.
        cases.add(json("user reveals secrets", "GET", app + "/envs?reveal=true", user, null, 404, "NOT_FOUND", null));
        cases.add(json("user opens registration", "PUT", "/auth/registration", user, "{\"open\":true}", 403, "PERMISSION_DENIED", null));
        cases.add(json("wrong password", "POST", "/auth/login", null, "{\"email\":\"admin@example.com\",\"password\":\"nope-nope\"}", 401, "UNAUTHENTICATED", null));
        cases.add(json("short password", "POST", "/auth/register", null, "{\"email\":\"x@example.com\",\"password\":\"short\"}", 400, "INVALID_ARGUMENT", "password"));
        cases.add(json("bad email", "POST", "/auth/register", null, "{\"email\":\"not an email\",\"password\":\"long-enough\"}", 400, "INVALID_ARGUMENT", "email"));
        return cases;
    }

    @Test
    void everyBadRequestGetsItsDocumentedClientError() {
        List<Case> cases = catalogue();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        int applicationsBefore = server.ployer.applications().list().size();
        List<String> failures = new ArrayList<>();
        for (Case entry : cases) {
            Answer answer = server.send(entry.method(), entry.path(), entry.token(), entry.body(), entry.contentType());
            boolean ok = answer.status() == entry.status()
                    && entry.code().equals(answer.errorCode())
                    && (entry.field() == null || entry.field().equals(answer.errorField()))
                    && answer.json() != null && answer.json().path("error").has("message");
            if (!ok) {
                failures.add(entry.name() + ": expected " + entry.status() + " " + entry.code() + " " + entry.field()
                        + " but got " + answer.status() + " " + answer.body());
            }
            assertThat(answer.status()).as(entry.name()).isLessThan(500);
        }
        assertThat(failures).isEmpty();
        assertThat(server.ployer.applications().list()).hasSize(applicationsBefore);
        assertThat(server.get("/health", null).status()).isEqualTo(200);
        assertThat(server.get("/applications", admin).status()).isEqualTo(200);
    }

    /**
     * The catalogue generated from the OpenAPI document: every operation gets no token, a garbage
     * token, an empty body without a content type, broken percent-encoding in its path ids, and, when
     * it takes a body, malformed JSON, each wrong JSON type for each field, an unknown field, a 1 MB
     * string, deep nesting and invalid UTF-8. No answer is a 5xx, every 4xx is the JSON error with
     * the security headers, no body names a Java class, a mistyped field is a 400 naming it, and
     * nothing changed. A new endpoint is covered without a new test.
     */
    @Test
    void everyOperationOfTheOpenApiDocumentWithstandsHostileInput() {
        List<HostileInput.Operation> operations = HostileInput.operations(server.get("/openapi.json", null).json());
        assertThat(operations).hasSizeGreaterThan(40);
        int applicationsBefore = server.ployer.applications().list().size();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (HostileInput.Operation operation : operations) {
            for (HostileInput.Request request : HostileInput.requests(operation, "Bearer " + admin)) {
                HostileInput.Answer answer = HostileInput.send(server.server.port(), request);
                sent++;
                String problem = HostileInput.problem(answer);
                if (problem == null && request.name().contains(" = ") && !operation.bodyFields().isEmpty()) {
                    String field = request.name().substring(request.name().indexOf(": ") + 2, request.name().indexOf(" ("));
                    JsonNode error = answer.json() == null ? null : answer.json().path("error");
                    if (answer.status() != 400 || error == null || !field.equals(error.path("field").asText(null))) {
                        problem = "a wrong type is not a 400 naming " + field + ": " + answer.status() + " " + answer.body();
                    }
                }
                if (problem == null && request.name().endsWith(": unknown field") && !operation.bodyFields().isEmpty()
                        && answer.status() != 400) {
                    problem = "an unknown field is not a 400: " + answer.status() + " " + answer.body();
                }
                if (problem == null && request.name().contains(": path id ") && answer.status() != 400 && answer.status() != 401) {
                    problem = "a broken path id is not a 400: " + answer.status() + " " + answer.body();
                }
                if (problem != null) {
                    failures.add(request.name() + ": " + problem);
                }
            }
        }
        assertThat(sent).isGreaterThan(500);
        assertThat(failures).isEmpty();
        assertThat(server.ployer.applications().list()).hasSize(applicationsBefore);
        assertThat(server.get("/applications", admin).status()).isEqualTo(200);
    }

    /**
     * Issue 11 item 22: answers made below JAX-RS (Undertow's URL decoding, the WebSocket endpoint
     * asked without an upgrade, an unknown API path) are JSON errors with the security headers too.
     */
    @Test
    void answersMadeBelowTheRestLayerAreJsonErrorsWithSecurityHeaders() {
        for (String path : List.of("/applications/%FF%FE", "/applications/%zz", "/applications/x%", "/ws", "/applications?x=%zz",
                "/nothing/%FF", "")) {
            HostileInput.Answer answer = HostileInput.send(server.server.port(),
                    new HostileInput.Request(path, "GET", path, "Bearer " + admin, null, new byte[0]));
            assertThat(answer.status()).as(path).isBetween(400, 499);
            assertThat(HostileInput.problem(answer)).as(path).isNull();
        }
        HostileInput.Answer badEscape = HostileInput.send(server.server.port(),
                new HostileInput.Request("bad escape", "GET", "/applications/%zz", "Bearer " + admin, null, new byte[0]));
        assertThat(badEscape.status()).isEqualTo(400);
        assertThat(badEscape.json().path("error").path("field").asText()).isEqualTo("request"); // refused by the HTTP parser
        HostileInput.Answer notUtf8 = HostileInput.send(server.server.port(),
                new HostileInput.Request("not UTF-8", "GET", "/applications/%FF%FE", "Bearer " + admin, null, new byte[0]));
        assertThat(notUtf8.status()).isEqualTo(400);
        assertThat(notUtf8.json().path("error").path("field").asText()).isEqualTo("path");
        HostileInput.Answer webSocket = HostileInput.send(server.server.port(),
                new HostileInput.Request("ws", "GET", "/ws", null, null, new byte[0]));
        assertThat(webSocket.status()).isEqualTo(426);
        assertThat(webSocket.json().path("error").path("code").asText()).isEqualTo("UPGRADE_REQUIRED");
        // a valid escape still reaches the resource, decoded
        assertThat(HostileInput.send(server.server.port(), new HostileInput.Request("encoded id", "GET",
                "/applications/" + appId.replace("-", "%2D"), "Bearer " + admin, null, new byte[0])).status()).isEqualTo(200);
    }

    /**
     * Issue 11 item 1: a POST or PUT without a body and without a Content-Type (curl -X POST …) is
     * never a 415, on every operation of the document; README's deploy command is accepted.
     */
    @Test
    void aRequestWithoutABodyNeedsNoContentType() {
        // an app whose deploy fails on this machine (no such local repository): nothing leaves loopback
        String localApp = server.post("/applications", admin, "{\"name\":\"bodyless\",\"git_url\":\"file:///nonexistent/bodyless.git\"}")
                .json().path("id").asText();
        List<String> refused = new ArrayList<>();
        for (HostileInput.Operation operation : HostileInput.operations(server.get("/openapi.json", null).json())) {
            if (!operation.hasBody() || operation.path().contains("logout")) {
                continue;
            }
            String path = operation.path().replace("{id}", localApp).replaceAll("\\{[^}]+}", "none");
            HostileInput.Answer answer = HostileInput.send(server.server.port(),
                    new HostileInput.Request(operation.toString(), operation.method(), path, "Bearer " + admin, null, new byte[0]));
            if (answer.status() == 415 || HostileInput.problem(answer) != null) {
                refused.add(operation + ": " + answer.status() + " " + answer.body());
            }
        }
        assertThat(refused).isEmpty();
        HostileInput.Answer deploy = HostileInput.send(server.server.port(), new HostileInput.Request("deploy", "POST",
                "/applications/" + localApp + "/deploy", "Bearer " + admin, null, new byte[0]));
        assertThat(deploy.status()).as(deploy.body()).isBetween(200, 299);
        // a body that is there must still say it is JSON
        HostileInput.Answer formBody = HostileInput.send(server.server.port(), new HostileInput.Request("form", "POST",
                "/applications/" + localApp + "/deploy", "Bearer " + admin, null, "a=b".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(formBody.status()).isEqualTo(415);
        server.send("DELETE", "/applications/" + localApp, admin, null);
    }

    /**
     * An oversized body is read and dropped before the 413 is sent: closing with unread bytes would
     * reset the connection, and the client would see no answer at all (a CI run saw exactly that).
     */
    @Test
    void everyOversizedBodyGetsItsAnswer() {
        String body = "{\"name\":\"" + "b".repeat(1024 * 1024 + 10) + "\"}";
        for (int i = 0; i < 15; i++) {
            Answer answer = server.send("POST", "/applications", admin, HttpRequest.BodyPublishers.ofString(body), "application/json");
            assertThat(answer.status()).as("attempt " + i).isEqualTo(413);
            assertThat(answer.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
        }
        // a webhook receiver's limit is 25 MiB: 26 MiB is read (in many reads) and refused the same way
        Answer webhook = server.send("POST", "/webhooks/github?app_id=" + appId, null,
                HttpRequest.BodyPublishers.ofByteArray(new byte[26 * 1024 * 1024]), "application/json");
        assertThat(webhook.status()).isEqualTo(413);
        assertThat(webhook.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(server.get("/health", null).status()).isEqualTo(200);
    }

    /** A mistyped field's message names the rule in words a person reads, never a Java type. */
    @Test
    void aMistypedFieldIsExplainedInWords() {
        Answer text = server.post("/applications", admin, "{\"name\":123,\"git_url\":\"https://g.example.com/a.git\"}");
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.json().path("error").path("message").asText()).isEqualTo("name: must be text");
        Answer list = server.post("/applications", admin, "{\"name\":\"p\",\"git_url\":\"https://g.example.com/a.git\",\"build_config\":[1]}");
        assertThat(list.json().path("error").path("message").asText()).doesNotContain("Map", "String", "java");
    }
}
