package io.ployer.testkit.runtime;

import io.ployer.testkit.Environment;
import io.ployer.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * An image registry without credentials on a free loopback port (Debian's {@code docker-registry},
 * installed by {@code scripts/provision-test-env.sh}), for the runtime kit's pull test. Container
 * engines treat 127.0.0.0/8 registries as insecure-allowed, so plain HTTP works.
 */
public final class LocalRegistry implements AutoCloseable {
    private final Process process;
    private final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a registry keeping its data in {@code directory}; skips the test when the binary is missing. */
    public static LocalRegistry start(Path directory) {
        if (!Files.isExecutable(Path.of("/usr/bin/docker-registry"))) {
            String message = "docker-registry is not available (run scripts/provision-test-env.sh as root)";
            if ("true".equalsIgnoreCase(System.getenv(Environment.REQUIRE_VARIABLE))) {
                Assertions.fail(message + " (required because " + Environment.REQUIRE_VARIABLE + "=true)");
            }
            Assumptions.abort(message);
        }
        try {
            Files.createDirectories(directory);
            int port = FreePorts.next();
            Files.writeString(directory.resolve("config.yml"), "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n"
                    + "    rootdirectory: " + directory.resolve("data") + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
            Process process = new ProcessBuilder("/usr/bin/docker-registry", "serve", directory.resolve("config.yml").toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("registry.log").toFile()).start();
            LocalRegistry registry = new LocalRegistry(process, port);
            registry.awaitReady();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new AssertionError("docker-registry exited with " + process.exitValue());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
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
    public String host() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
