package io.ployer.testkit.proxy;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Caddy started for a test: its admin API and HTTP listener on free loopback ports, its
 * state in the test's directory, nothing persisted, stopped by {@link #close()}.
 */
public final class CaddyProcess implements AutoCloseable {
    private final Process process;
    private final int adminPort;
    private final int httpPort;
    private final Path log;

    private CaddyProcess(Process process, int adminPort, int httpPort, Path log) {
        this.process = process;
        this.adminPort = adminPort;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts Caddy in {@code directory} and waits until its admin API answers. */
    public static CaddyProcess start(Path directory) {
        Environment.requireCaddy();
        int adminPort = FreePorts.next();
        int httpPort = FreePorts.next();
        try {
            Files.createDirectories(directory);
            Path config = directory.resolve("caddy.json");
            Files.writeString(config, "{\"admin\":{\"listen\":\"127.0.0.1:" + adminPort + "\",\"config\":{\"persist\":false}}}");
            Path log = directory.resolve("caddy.log");
            ProcessBuilder builder = new ProcessBuilder(List.of(Environment.caddyBinary().toString(), "run", "--config", config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("HOME", directory.toString());
            builder.environment().put("XDG_DATA_HOME", directory.resolve("data").toString());
            builder.environment().put("XDG_CONFIG_HOME", directory.resolve("config").toString());
            CaddyProcess caddy = new CaddyProcess(builder.start(), adminPort, httpPort, log);
            caddy.awaitAdmin();
            return caddy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitAdmin() {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(adminAddress() + "config/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("caddy exited: " + readLog());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("caddy's admin API did not answer within 20 s: " + readLog());
    }

    /** {@code http://127.0.0.1:<port>/}. */
    public String adminAddress() {
        return "http://127.0.0.1:" + adminPort + "/";
    }

    /** A free port reserved for Ployer's HTTP listener in this Caddy. */
    public int httpPort() {
        return httpPort;
    }

    /** What Caddy printed, for failure messages. */
    public String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
