package io.ployer.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.plugin.docker.DockerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A "remote" machine on this one, as {@code scripts/provision-test-env.sh} prepares it: Debian's
 * OpenSSH {@code sshd} started here on 127.0.0.1 on a free port, letting the user {@code ployer-remote}
 * in with a key made for the test, and the second Docker Engine that user's sessions reach
 * ({@code DOCKER_HOST} from {@code ~/.ssh/environment}; the user cannot use the first engine).
 */
@SuppressWarnings("try") // close() waits for the processes it stops
final class RemoteHost implements AutoCloseable {
    static final String USER = "ployer-remote";
    static final String SOCKET = "unix:///run/ployer-remote-docker/docker.sock";
    private final Path directory;
    private final int port;
    private Process sshd;

    private RemoteHost(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** Fails unless the second engine answers and the test user exists (run scripts/provision-test-env.sh as root). */
    static RemoteHost start() throws IOException, InterruptedException {
        assertThat(run(List.of("docker", "-H", SOCKET, "info", "--format", "{{.ServerVersion}}")))
                .as("the second Docker Engine at " + SOCKET + " (run scripts/provision-test-env.sh as root)").isZero();
        assertThat(run(List.of("id", USER))).as("the user " + USER + " (run scripts/provision-test-env.sh as root)").isZero();
        // Not under the test's @TempDir: sshd reads authorized_keys as the user, who must be able to reach it.
        Path directory = Files.createTempDirectory("ployer-sshd-");
        keygen(directory.resolve("host_key"));
        keygen(directory.resolve("user_key"));
        Files.copy(directory.resolve("user_key.pub"), directory.resolve("authorized_keys"));
        // sshd drops to the user to read the keys: the directory must be readable by all (the keys are the test's own).
        directory.toFile().setExecutable(true, false);
        directory.resolve("authorized_keys").toFile().setReadable(true, false);
        RemoteHost host = new RemoteHost(directory, FreePorts.next());
        Files.writeString(directory.resolve("sshd_config"), String.join("\n",
                "ListenAddress 127.0.0.1",
                "Port " + host.port,
                "HostKey " + directory.resolve("host_key"),
                "PidFile " + directory.resolve("sshd.pid"),
                "AuthorizedKeysFile " + directory.resolve("authorized_keys"),
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitUserEnvironment yes",
                "AllowUsers " + USER,
                ""));
        host.startSshd();
        return host;
    }

    int port() {
        return port;
    }

    String privateKey() {
        try {
            return Files.readString(directory.resolve("user_key"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts sshd (again: same port, same host key). */
    void startSshd() throws IOException, InterruptedException {
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", directory.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("sshd.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                assertThat(sshd.isAlive()).as("sshd runs; its log: " + log()).isTrue();
                Thread.sleep(50);
            }
        }
        throw new AssertionError("sshd did not listen on 127.0.0.1:" + port + "; its log: " + log());
    }

    /** Stops sshd and every session it serves, as a machine going away would. */
    void stopSshd() throws InterruptedException {
        sshd.descendants().forEach(ProcessHandle::destroyForcibly);
        sshd.destroyForcibly();
        sshd.waitFor(20, TimeUnit.SECONDS);
    }

    String log() {
        try {
            return Files.readString(directory.resolve("sshd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A runtime of the test's own on the second engine, to look at what Ployer made there. */
    static ContainerRuntime secondEngine() {
        return new DockerPlugin().containerRuntimeFactories().get(0).create(Map.of("host", SOCKET), new PluginContext() {
        });
    }

    /** A runtime of the test's own on this machine's engine. */
    static ContainerRuntime firstEngine() {
        return new DockerPlugin().containerRuntimeFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    private static void keygen(Path file) throws IOException, InterruptedException {
        assertThat(run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ployer-test", "-f", file.toString())))
                .as("ssh-keygen").isZero();
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (sshd != null) {
            stopSshd();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
