package io.ployer.plugin.caddy.testing;

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
 * A real Caddy started for a test (in the Caddy plugin's test jar, {@code <type>test-jar</type>}): its admin API and HTTP listener on free loopback ports, its
 * state in the test's directory, nothing persisted, stopped by {@link #close()}.
 */
public final class CaddyProcess implements AutoCloseable {
    private volatile Process process;
    private final int adminPort;
    private final int httpPort;
    private final Path log;
    private final Path directory;

    private CaddyProcess(Process process, int adminPort, int httpPort, Path log, Path directory) {
        this.process = process;
        this.adminPort = adminPort;
        this.httpPort = httpPort;
        this.log = log;
        this.directory = directory;
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
            CaddyProcess caddy = new CaddyProcess(launch(directory, log), adminPort, httpPort, log, directory);
            caddy.awaitAdmin();
            return caddy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Process launch(Path directory, Path log) throws IOException {
        Path config = directory.resolve("caddy.json");
        ProcessBuilder builder = new ProcessBuilder(List.of(Environment.caddyBinary().toString(), "run", "--config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("HOME", directory.toString());
        builder.environment().put("XDG_DATA_HOME", directory.resolve("data").toString());
        builder.environment().put("XDG_CONFIG_HOME", directory.resolve("config").toString());
        return builder.start();
    }

    /** Stops Caddy (SIGTERM, then SIGKILL); its routes are gone, as they would be after a crash. */
    public void stop() {
        close();
    }

    /** Starts Caddy again on the same ports with its original, empty configuration; waits until its admin API answers. */
    public void startAgain() {
        try {
            process = launch(directory, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitAdmin();
    }

    /** Restarts Caddy: what an operator's {@code systemctl restart caddy} does to a config only held in memory. */
    public void restartEmpty() {
        stop();
        startAgain();
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
