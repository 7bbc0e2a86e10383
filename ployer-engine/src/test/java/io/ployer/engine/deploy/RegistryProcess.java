package io.ployer.engine.deploy;

import io.ployer.testkit.Environment;
import io.ployer.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real image registry (Debian's {@code docker-registry}) on a free loopback port, optionally behind
 * htpasswd basic auth (bcrypt, from {@code htpasswd}), plus the Docker CLI steps to put an image in
 * it. Docker treats 127.0.0.0/8 registries as insecure-allowed, so plain HTTP works. Every Docker CLI
 * call uses its own {@code --config} directory: the machine's {@code ~/.docker} is never touched.
 */
final class RegistryProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dockerConfig;

    private RegistryProcess(Process process, int port, Path dockerConfig) {
        this.process = process;
        this.port = port;
        this.dockerConfig = dockerConfig;
    }

    /** Starts a registry in {@code directory}; with {@code username} non-null it demands those credentials. */
    static RegistryProcess start(Path directory, String username, String password) {
        Environment.requireDocker();
        requireBinary("docker-registry");
        requireBinary("docker");
        try {
            Files.createDirectories(directory);
            int port = FreePorts.next();
            StringBuilder config = new StringBuilder("version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ")
                    .append(directory.resolve("data")).append("\nhttp:\n  addr: 127.0.0.1:").append(port).append('\n');
            if (username != null) {
                requireBinary("htpasswd");
                String line = run(List.of("htpasswd", "-Bbn", username, password), null).strip();
                Files.writeString(directory.resolve("htpasswd"), line + "\n");
                config.append("auth:\n  htpasswd:\n    realm: ployer-test\n    path: ").append(directory.resolve("htpasswd")).append('\n');
            }
            Files.writeString(directory.resolve("config.yml"), config.toString());
            Process process = new ProcessBuilder("docker-registry", "serve", directory.resolve("config.yml").toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("registry.log").toFile()).start();
            Path dockerConfig = Files.createDirectories(directory.resolve("docker-config"));
            RegistryProcess registry = new RegistryProcess(process, port, dockerConfig);
            registry.awaitReady();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireBinary(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String directory : path.split(":")) {
            if (Files.isExecutable(Path.of(directory, name))) {
                return;
            }
        }
        String message = name + " is not available (run scripts/provision-test-env.sh as root)";
        if ("true".equalsIgnoreCase(System.getenv(Environment.REQUIRE_VARIABLE))) {
            Assertions.fail(message + " (required because " + Environment.REQUIRE_VARIABLE + "=true)");
        }
        System.out.println("[ployer-test] skipping: " + message);
        Assumptions.abort(message);
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                int status = client.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // the registry is still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited with " + process.exitValue());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("docker-registry did not answer on " + host());
    }

    /** {@code 127.0.0.1:<port>}. */
    String host() {
        return "127.0.0.1:" + port;
    }

    /** The Docker client config directory the CLI logged in with (holds {@code config.json}). */
    Path dockerConfig() {
        return dockerConfig;
    }

    /** Logs the test's Docker CLI config into the registry. */
    void login(String username, String password) {
        run(List.of("docker", "--config", dockerConfig.toString(), "login", "--username", username, "--password-stdin", host()),
                password);
    }

    /**
     * Builds a tiny web image on the local busybox image serving {@code version} at {@code /version.txt}
     * on port 8080, pushes it as {@code reference} and removes every local copy, so a deploy must pull it.
     */
    void pushWebImage(Path workDirectory, String reference, String version) {
        try {
            Path context = Files.createDirectories(workDirectory);
            Files.writeString(context.resolve("version.txt"), version + "\n");
            Files.writeString(context.resolve("Dockerfile"), "FROM ployer/busybox:latest\nCOPY version.txt /www/version.txt\n"
                    + "CMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
            run(List.of("docker", "--config", dockerConfig.toString(), "build", "-q", "-t", reference, context.toString()), null);
            run(List.of("docker", "--config", dockerConfig.toString(), "push", reference), null);
            run(List.of("docker", "rmi", reference), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            if (input != null) {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new AssertionError(command.get(0) + " " + command.get(command.size() > 3 ? 3 : 1) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
