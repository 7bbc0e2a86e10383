package io.ployer.testkit;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether the real components integration tests need are here. Where one is missing, the test is
 * skipped with the reason printed — unless {@code PLOYER_REQUIRE_DOCKER=true} (CI sets it), in
 * which case a missing component fails the test.
 */
public final class Environment {
    /** The variable that turns a missing Docker or Caddy into a failure. */
    public static final String REQUIRE_VARIABLE = "PLOYER_REQUIRE_DOCKER";

    private Environment() {
    }

    /** Skips (or, when required, fails) unless a Docker Engine answers on the local socket. */
    public static void requireDocker() {
        String problem = dockerProblem();
        if (problem != null) {
            missing("Docker", problem);
        }
    }

    /**
     * Skips (or, when required, fails) unless Docker answers and holds the local image {@code name}
     * (the images the tests build on are made by {@code scripts/provision-test-env.sh}).
     */
    public static void requireImage(String name) {
        requireDocker();
        try {
            Process inspect = new ProcessBuilder("docker", "image", "inspect", name).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!inspect.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || inspect.exitValue() != 0) {
                missing("The image " + name, "it is not in the local Docker (run scripts/provision-test-env.sh as root)");
            }
        } catch (IOException e) {
            missing("The image " + name, "the docker command could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            missing("The image " + name, "interrupted while asking Docker");
        }
    }

    /** Skips (or, when required, fails) unless a {@code caddy} binary is on the path. */
    public static void requireCaddy() {
        if (caddyBinary() == null) {
            missing("Caddy", "no caddy binary on PATH (Debian: apt-get install caddy)");
        }
    }

    /** The caddy binary, or {@code null}. */
    public static Path caddyBinary() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String directory : path.split(":")) {
            Path candidate = Path.of(directory, "caddy");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Why Docker cannot be used here, or {@code null} when it answers. */
    public static String dockerProblem() {
        String host = System.getenv("DOCKER_HOST");
        Path socket = Path.of(host != null && host.startsWith("unix://") ? host.substring("unix://".length()) : "/var/run/docker.sock");
        if (host != null && !host.startsWith("unix://")) {
            return null; // a TCP engine: trust the configuration
        }
        if (!Files.exists(socket)) {
            return "no Docker socket at " + socket + " (run scripts/provision-test-env.sh as root)";
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(512);
            channel.read(answer);
            String text = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
            return text.contains(" 200 ") ? null : "Docker answered: " + text.lines().findFirst().orElse("");
        } catch (IOException e) {
            return "Docker does not answer on " + socket + ": " + e.getMessage();
        }
    }

    private static void missing(String component, String reason) {
        String message = component + " is not available: " + reason;
        if ("true".equalsIgnoreCase(System.getenv(REQUIRE_VARIABLE))) {
            Assertions.fail(message + " (required because " + REQUIRE_VARIABLE + "=true)");
        }
        System.out.println("[ployer-testkit] skipping: " + message);
        Assumptions.abort(message);
    }
}
