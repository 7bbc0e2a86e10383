package io.ployer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.server.http.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What {@link UpgradeFromPreviousReleaseIT} works with: a data directory of an earlier release copied
 * from the test resources, today's server run as {@code bin/ployer} runs it (a child JVM on
 * {@link io.ployer.server.Main}, this build's classes), and the database read with plain JDBC.
 */
final class UpgradeFixture {
    private static final Pattern RUNNING = Pattern.compile("is running on http://127\\.0\\.0\\.1:(\\d+)");

    private UpgradeFixture() {
    }

    /** Copies {@code upgrade/<release>/} (database and key file, owner-only as the release left them); answers its properties. */
    static Properties copy(String release, Path data) throws IOException {
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        for (String file : List.of("ployer.db", "secret.key")) {
            try (InputStream in = resource(release, file)) {
                Files.copy(in, data.resolve(file));
            }
            Files.setPosixFilePermissions(data.resolve(file), PosixFilePermissions.fromString("rw-------"));
        }
        Properties properties = new Properties();
        try (InputStream in = resource(release, "fixture.properties")) {
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }

    private static InputStream resource(String release, String file) {
        InputStream in = UpgradeFixture.class.getResourceAsStream("/upgrade/" + release + "/" + file);
        if (in == null) {
            throw new AssertionError("test resource upgrade/" + release + "/" + file + " is missing (scripts/make-upgrade-fixture.sh makes it)");
        }
        return in;
    }

    /** The migration versions in the repository's migrations/sqlite, the ones the SQLite plugin bundles, oldest first. */
    static List<String> bundledVersions() throws IOException {
        Pattern name = Pattern.compile("V(\\d+)__.+\\.sql");
        try (Stream<Path> files = Files.list(Path.of("").toAbsolutePath().getParent().resolve("migrations/sqlite"))) {
            return files.map(file -> name.matcher(file.getFileName().toString())).filter(Matcher::matches)
                    .map(match -> Integer.parseInt(match.group(1))).sorted().map(String::valueOf).toList();
        }
    }

    private static ProcessBuilder java(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.ployer.server.Main"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("PLOYER_"));
        // The release's fixture was made with this setting; a user keeps their configuration across an upgrade.
        builder.environment().put("PLOYER_DOMAINS_BASE", "apps.example.test");
        builder.environment().put("PLOYER_METRICS_PORT", "off");
        return builder;
    }

    /** The exit code and output of a command ({@code migrate}, ...) on a data directory. */
    record Command(int exitCode, String output) {
    }

    static Command run(String command, Path data) throws IOException, InterruptedException {
        Path log = Files.createTempFile(data.getParent(), command, ".log");
        Process process = java(List.of(command, "--data-dir", data.toString())).redirectOutput(log.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("ployer " + command + " did not finish in 2 minutes:\n" + Files.readString(log));
        }
        return new Command(process.exitValue(), Files.readString(log));
    }

    /** An HTTP answer and its JSON body (null when there is none). */
    record Answer(int status, String body, JsonNode json) {
    }

    /** Today's server started by {@code Main start} on a data directory, on a free loopback port. */
    static final class RunningServer implements AutoCloseable {
        private final Process process;
        private final Path log;
        private final int port;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final ObjectMapper json = JsonMapper.create();

        private RunningServer(Process process, Path log, int port) {
            this.process = process;
            this.log = log;
            this.port = port;
        }

        static RunningServer start(Path data, Path log) throws IOException, InterruptedException {
            Process process = java(List.of("start", "--data-dir", data.toString(), "--port", "0")).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < deadline) {
                Matcher running = RUNNING.matcher(Files.readString(log));
                if (running.find()) {
                    Thread.sleep(500); // the component lines follow the address
                    return new RunningServer(process, log, Integer.parseInt(running.group(1)));
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the server refused to start (exit " + process.exitValue() + "):\n" + Files.readString(log));
                }
                Thread.sleep(200);
            }
            process.destroyForcibly().waitFor();
            throw new AssertionError("the server did not start in 2 minutes:\n" + Files.readString(log));
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Answer send(String method, String path, String token, String body, Map<String, String> headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path))
                    .timeout(Duration.ofSeconds(30)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            headers.forEach(request::header);
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode parsed = null;
                try {
                    parsed = response.body().isBlank() ? null : json.readTree(response.body());
                } catch (IOException notJson) {
                    parsed = null;
                }
                return new Answer(response.statusCode(), response.body(), parsed);
            } catch (IOException e) {
                throw new AssertionError(method + " " + path + " failed: " + e + "\n" + output(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        Answer send(String method, String path, String token, String body) {
            return send(method, path, token, body, Map.of());
        }

        Answer get(String path, String token) {
            return send("GET", path, token, null);
        }

        Answer post(String path, String token, String body) {
            return send("POST", path, token, body);
        }

        String login(String email, String password) {
            Answer answer = post("/auth/login", null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
            if (answer.status() != 200) {
                throw new AssertionError("login failed: " + answer);
            }
            return answer.json().path("token").asText();
        }

        /** A GitHub push delivery for an application, signed with {@code secret} as GitHub signs it. */
        Answer githubPush(String applicationId, String body, String secret) throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
            return send("POST", "/webhooks/github?app_id=" + applicationId, null, body, Map.of("X-GitHub-Event", "push",
                    "X-GitHub-Delivery", UUID.randomUUID().toString(), "X-Hub-Signature-256", signature));
        }

        /** Every GET route of the OpenAPI document under /applications/{id} with no other parameter. */
        List<String> applicationReads(String token) {
            List<String> paths = new ArrayList<>();
            get("/openapi.json", token).json().path("paths").properties().forEach(path -> {
                String template = path.getKey();
                if (path.getValue().has("get") && template.startsWith("/applications/{id}")
                        && template.replace("{id}", "").indexOf('{') < 0) {
                    paths.add(template);
                }
            });
            if (paths.size() < 10) {
                throw new AssertionError("expected the application reads of the OpenAPI document, found " + paths);
            }
            return paths;
        }

        /** SIGTERM, as systemd and bin/ployer's users stop it: the server shuts down cleanly. */
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(1, TimeUnit.MINUTES)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("the server did not stop within a minute of SIGTERM:\n" + output());
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Every table of a SQLite file, read at once, as column → value rows. */
    static final class Rows {
        private final Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        private final Map<String, List<String>> keys = new LinkedHashMap<>();

        static Rows read(Path database) throws SQLException {
            Rows rows = new Rows();
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                 Statement statement = connection.createStatement()) {
                List<String> names = new ArrayList<>();
                try (ResultSet tables = statement.executeQuery(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
                    while (tables.next()) {
                        names.add(tables.getString(1));
                    }
                }
                for (String table : names) {
                    List<String> key = new ArrayList<>();
                    try (ResultSet columns = statement.executeQuery("SELECT name FROM pragma_table_info('" + table + "') WHERE pk > 0 ORDER BY pk")) {
                        while (columns.next()) {
                            key.add(columns.getString(1));
                        }
                    }
                    rows.keys.put(table, key);
                    List<Map<String, Object>> content = new ArrayList<>();
                    try (ResultSet result = statement.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY rowid")) {
                        ResultSetMetaData meta = result.getMetaData();
                        while (result.next()) {
                            Map<String, Object> row = new LinkedHashMap<>();
                            for (int column = 1; column <= meta.getColumnCount(); column++) {
                                row.put(meta.getColumnName(column), result.getObject(column));
                            }
                            content.add(row);
                        }
                    }
                    rows.tables.put(table, content);
                }
            }
            return rows;
        }

        List<String> tables() {
            return List.copyOf(tables.keySet());
        }

        List<Map<String, Object>> table(String name) {
            return tables.getOrDefault(name, List.of());
        }

        /** The rows of a table by their primary key (the whole row when it has none). */
        Map<String, Map<String, Object>> byKey(String table) {
            Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
            List<String> key = keys.get(table);
            for (Map<String, Object> row : table(table)) {
                rows.put(key.isEmpty() ? row.toString() : key.stream().map(column -> column + "=" + row.get(column)).toList().toString(), row);
            }
            return rows;
        }

        /** Every table, column, index and trigger definition of a file. */
        static List<String> schema(Path database) throws SQLException {
            List<String> schema = new ArrayList<>();
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master "
                         + "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")) {
                while (rows.next()) {
                    schema.add(rows.getString(1) + " " + rows.getString(2) + " on " + rows.getString(3) + ": " + rows.getString(4));
                }
            }
            return schema;
        }
    }
}
