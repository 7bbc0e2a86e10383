package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupDestinationSpec;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.registry.RegistrySpec;
import io.ployer.server.cli.PloyerCommand;
import io.ployer.testkit.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ployer rotate-key} run the way an operator runs it (the server's command line, on a data
 * directory with no server): afterwards the old key opens nothing (an engine given it refuses to
 * start, and no stored value is under it), while every secret reads back with the new key: an env
 * value, a real PostgreSQL database's password (pg_dump authenticates with it over TCP, where the
 * server asks for it) and a registry's credentials (the Docker daemon sends them to a registry on
 * 127.0.0.1 that asks for Basic authentication).
 */
class RotateKeyCommandIT {
    private static final String ENV_VALUE = "env-secret-value-" + UUID.randomUUID();
    private static final String REGISTRY_PASSWORD = "registry-password-" + UUID.randomUUID();

    @TempDir
    Path data;

    @Test
    void theOldKeyOpensNothingAndEverySecretStillReads() throws Exception {
        Environment.requireDocker();
        requireImage("ployer-test/postgres:15");
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer registry = fakeRegistry(authorizations);
        String databaseId = null;
        try {
            String registryHost = "127.0.0.1:" + registry.getAddress().getPort();
            String applicationId;
            try (Ployer ployer = engine(null)) {
                Application application = ployer.applications().create(ApplicationSpec.named("rot-" + UUID.randomUUID()
                        .toString().substring(0, 6)).withBuild("image", Map.of("image", registryHost + "/team/app:1")));
                applicationId = application.id();
                ployer.applications().setEnvVar(applicationId, "API_TOKEN", ENV_VALUE, false);
                ployer.registries().create(new RegistrySpec(registryHost, "deployer", REGISTRY_PASSWORD));
                Database database = ployer.databases().create(new DatabaseSpec("rot-" + UUID.randomUUID().toString().substring(0, 6),
                        DatabaseEngine.POSTGRESQL, "15", null, false, null));
                databaseId = database.id();
                psql(database, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (1), (2);");
            }
            String oldKeys = Files.readString(data.resolve("secret.key")).strip();
            String oldKeyId = oldKeys.substring(0, oldKeys.indexOf(':'));
            assertThat(encryptedUnder()).containsExactly(oldKeyId);

            Run rotation = run("rotate-key", "--data-dir", data.toString());
            assertThat(rotation.code()).as(rotation.err()).isZero();
            assertThat(rotation.out()).contains("re-encrypted").contains("retired: " + oldKeyId);
            String newKeys = Files.readString(data.resolve("secret.key")).strip();
            String newKeyId = newKeys.substring(0, newKeys.indexOf(':'));
            assertThat(newKeyId).isNotEqualTo(oldKeyId);
            assertThat(newKeys).doesNotContain(oldKeys.substring(oldKeys.indexOf(':') + 1)).doesNotContain(",");
            assertThat(rotation.out()).contains("under the key '" + newKeyId + "'");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secret.key"))))
                    .isEqualTo("rw-------");
            // Env value, database password, registry password, key check: every one under the new key.
            assertThat(rotation.out()).containsPattern("re-encrypted [3-9] stored secrets");
            assertThat(encryptedUnder()).containsExactly(newKeyId);

            // The old key opens nothing: an engine given it alone refuses to start.
            assertThatThrownBy(() -> engine(oldKeys).close()).isInstanceOfSatisfying(PloyerException.class,
                    e -> assertThat(e.code()).isEqualTo(StandardErrorCode.SECRET_KEY_MISMATCH));

            // With the key file as the rotation left it, every secret reads.
            try (Ployer ployer = engine(null)) {
                assertThat(ployer.applications().revealEnvVars(applicationId)).extracting(envVar -> envVar.value())
                        .containsExactly(ENV_VALUE);
                BackupDestination local = ployer.databases().createDestination(new BackupDestinationSpec("rot-local",
                        BackupDestination.Kind.LOCAL, data.resolve("backups").toString(), null, null, null, null, null, null));
                Backup backup = ployer.databases().backup(databaseId, local.id());
                assertThat(backup.status()).as(backup.reason()).isEqualTo(Backup.Status.SUCCEEDED);

                Deployment deployment = ployer.deployments().awaitCompletion(ployer.deployments().deploy(
                        DeploymentRequest.of(applicationId)).id(), Duration.ofMinutes(2));
                assertThat(deployment.failureReason()).as("the fake registry has no image").isNotNull();
                assertThat(authorizations).as("what the Docker daemon sent the registry")
                        .contains("Basic " + Base64.getEncoder().encodeToString(("deployer:" + REGISTRY_PASSWORD)
                                .getBytes(StandardCharsets.UTF_8)));

                ployer.databases().delete(databaseId, true);
                databaseId = null;
            }

            Run again = run("rotate-key", "--data-dir", data.toString());
            assertThat(again.code()).as(again.err()).isZero();
            assertThat(again.out()).contains("retired: " + newKeyId);
        } finally {
            registry.stop(0);
            if (databaseId != null) {
                try (Ployer ployer = engine(null)) {
                    ployer.databases().delete(databaseId, true);
                }
            }
        }
    }

    @Test
    void withTheKeysInPloyerSecretTheNewOneGoesFirstThere() {
        String one = "one:" + Base64.getEncoder().encodeToString(new byte[32]);
        byte[] material = new byte[32];
        material[0] = 7;
        String two = "two:" + Base64.getEncoder().encodeToString(material);
        try (Ployer ployer = Ployer.builder().dataDirectory(data).config("secret", one).config("reconcile", "false").build()) {
            ployer.start();
            var application = ployer.applications().create(ApplicationSpec.named("rot-env")
                    .withGit("https://git.example.com/team/app.git", "main"));
            ployer.applications().setEnvVar(application.id(), "API_TOKEN", ENV_VALUE, false);
        }
        Run single = run(Map.of("PLOYER_SECRET", one), "rotate-key", "--data-dir", data.toString());
        assertThat(single.code()).isEqualTo(2);
        assertThat(single.err()).contains("PLOYER_SECRET holds one key").doesNotContain(one.substring(4));

        Run rotation = run(Map.of("PLOYER_SECRET", two + "," + one), "rotate-key", "--data-dir", data.toString());
        assertThat(rotation.code()).as(rotation.err()).isZero();
        assertThat(rotation.out()).contains("under the key 'two'").contains("remove the retired keys from PLOYER_SECRET: one");
        try (Ployer ployer = Ployer.builder().dataDirectory(data).config("secret", two).config("reconcile", "false").build()) {
            ployer.start();
            String id = ployer.applications().list().get(0).id();
            assertThat(ployer.applications().revealEnvVars(id)).extracting(envVar -> envVar.value()).containsExactly(ENV_VALUE);
        }
    }

    private Ployer engine(String keys) {
        var builder = Ployer.builder().dataDirectory(data).config("reconcile", "false")
                .config("databases.image-postgresql", "ployer-test/postgres");
        if (keys != null) {
            builder.config("secret", keys);
        }
        Ployer ployer = builder.build();
        try {
            ployer.start();
        } catch (RuntimeException e) {
            ployer.close();
            throw e;
        }
        return ployer;
    }

    /** The ids of the keys the stored values are encrypted under, read from every text column of the database. */
    private Set<String> encryptedUnder() throws Exception {
        Set<String> keyIds = new TreeSet<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ployer.db"))) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = connection.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int column = 1; column <= columns; column++) {
                            Object value = rows.getObject(column);
                            if (value instanceof String text && text.startsWith("ENC:v1:")) {
                                keyIds.add(text.substring(7, text.indexOf(':', 7)));
                            }
                        }
                    }
                }
            }
        }
        return keyIds;
    }

    /** A registry that asks for Basic authentication and records what it is sent; it holds no image. */
    private static HttpServer fakeRegistry(List<String> authorizations) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            exchange.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] body;
            int status;
            if (authorization == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"ployer-test\"");
                body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(StandardCharsets.UTF_8);
                status = 401;
            } else {
                authorizations.add(authorization);
                boolean root = "/v2/".equals(exchange.getRequestURI().getPath());
                body = (root ? "{}" : "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                status = root ? 200 : 404;
            }
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(String... arguments) {
        return run(Map.of(), arguments);
    }

    private Run run(Map<String, String> environment, String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PloyerCommand.run(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), arguments);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String psql(Database database, String sql) throws Exception {
        Process process = new ProcessBuilder("docker", "exec", "ployer-db-" + database.name(), "psql", "-U", database.username(),
                "-d", database.databaseName(), "-tAc", sql).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static void requireImage(String image) throws Exception {
        Process process = new ProcessBuilder("docker", "image", "inspect", image).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (process.waitFor() != 0) {
            String reason = "the image " + image + " is missing: run scripts/provision-test-env.sh";
            if (Boolean.parseBoolean(System.getenv(Environment.REQUIRE_VARIABLE))) {
                throw new AssertionError(reason);
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, reason);
        }
    }
}
