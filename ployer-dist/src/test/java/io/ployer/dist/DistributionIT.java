package io.ployer.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as an installing user gets it: unpacked, started with {@code bin/ployer start}
 * on a PATH that holds a JRE's {@code java} and the few shell tools the script uses, and no Maven.
 * It serves, registers its first user, and stops on SIGTERM.
 */
class DistributionIT {
    @TempDir
    Path work;

    private static Path distribution() {
        Path tarball = Path.of(System.getProperty("ployer.distribution", "target/ployer-dist.tar.gz"));
        assertThat(tarball).as("the distribution the build made").exists();
        return tarball;
    }

    private Path unpack() throws Exception {
        Process tar = new ProcessBuilder("tar", "-xzf", distribution().toString(), "-C", work.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        return work.resolve("ployer-" + System.getProperty("ployer.version"));
    }

    @Test
    void holdsTheLauncherEveryJarTheUnitAndTheLicences() throws Exception {
        Path home = unpack();
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/ployer"))).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(home.resolve("bin/jvm.options")).exists();
        assertThat(home.resolve("systemd/ployer.service")).content().contains("ExecStart=/opt/ployer/bin/ployer start");
        assertThat(home.resolve("README.md")).exists();
        assertThat(home.resolve("LICENSE")).content().contains("Apache License");
        assertThat(home.resolve("CHANGELOG.md")).exists();
        assertThat(home.resolve("THIRD-PARTY.txt")).content().contains("jackson-databind").contains("Logback");
        List<String> jars;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            jars = lib.map(path -> path.getFileName().toString()).toList();
        }
        assertThat(jars).anyMatch(jar -> jar.startsWith("ployer-server-"))
                .anyMatch(jar -> jar.startsWith("ployer-engine-"))
                .anyMatch(jar -> jar.startsWith("ployer-plugin-sqlite-"))
                .anyMatch(jar -> jar.startsWith("ployer-plugin-docker-"))
                .anyMatch(jar -> jar.startsWith("ployer-plugin-swarm-"))
                .anyMatch(jar -> jar.startsWith("ployer-plugin-caddy-"))
                .noneMatch(jar -> jar.contains("junit") || jar.contains("assertj") || jar.contains("testkit"));
    }

    @Test
    void runsWithAJreAloneAndStopsOnSigterm() throws Exception {
        Path home = unpack();
        Path tools = Files.createDirectories(work.resolve("path"));
        // java from the JRE running this test; the script's own tools; deliberately no mvn
        Files.createSymbolicLink(tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        for (String tool : List.of("bash", "dirname", "grep", "tr", "cat")) {
            Path found = which(tool);
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path data = work.resolve("data");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/ployer").toString(), "start",
                "--port", Integer.toString(port), "--host", "127.0.0.1", "--data-dir", data.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", tools.toString());
        environment.put("HOME", work.toString());
        environment.put("PLOYER_METRICS_PORT", "off");
        Process server = builder.start();
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("http://127.0.0.1:" + port + "/api/v1");
            HttpResponse<String> health = awaitHealth(client, base, server);
            assertThat(health.statusCode()).as(log()).isEqualTo(200);
            HttpResponse<String> registered = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/register"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"you@example.com\",\"password\":\"a long passphrase\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            assertThat(data.resolve("ployer.db")).exists();
        } finally {
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
        assertThat(log()).doesNotContain("mvn").doesNotContain("Building Ployer");
    }

    private String log() throws IOException {
        Path log = work.resolve("server.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static HttpResponse<String> awaitHealth(HttpClient client, URI base, Process server) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        IOException last = null;
        while (Instant.now().isBefore(deadline) && server.isAlive()) {
            try {
                return client.send(HttpRequest.newBuilder(base.resolve("/api/v1/health")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException notYet) {
                last = notYet;
                server.waitFor(250, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("the server did not answer within 90 s (alive: " + server.isAlive() + ")", last);
    }

    private static Path which(String tool) {
        List<String> directories = new ArrayList<>(List.of("/usr/bin", "/bin", "/usr/local/bin"));
        for (String directory : directories) {
            Path candidate = Path.of(directory, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(tool + " not found");
    }
}
