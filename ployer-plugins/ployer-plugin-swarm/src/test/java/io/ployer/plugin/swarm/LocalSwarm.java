package io.ployer.plugin.swarm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-node swarm on this machine's Docker Engine for a test class: {@code docker swarm init --advertise-addr
 * 127.0.0.1} when the engine is not in a swarm yet, and {@code docker swarm leave --force} afterwards only if this
 * made it one.
 */
final class LocalSwarm {
    private static boolean initialisedHere;

    private LocalSwarm() {
    }

    static synchronized void join() {
        String state = docker("info", "--format", "{{.Swarm.LocalNodeState}}").strip();
        if (!state.equals("active")) {
            docker("swarm", "init", "--advertise-addr", "127.0.0.1");
            initialisedHere = true;
        }
    }

    static synchronized void leave() {
        if (initialisedHere) {
            docker("swarm", "leave", "--force");
            initialisedHere = false;
        }
    }

    static String docker(String... arguments) {
        try {
            Process process = new ProcessBuilder(java.util.stream.Stream.concat(java.util.stream.Stream.of("docker"),
                    List.of(arguments).stream()).toList()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("docker " + String.join(" ", arguments) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
