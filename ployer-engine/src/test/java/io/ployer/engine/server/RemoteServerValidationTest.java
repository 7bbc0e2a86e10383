package io.ployer.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.Ployer;
import io.ployer.api.application.KeyAlgorithm;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerCheck;
import io.ployer.api.server.ServerSpec;
import io.ployer.api.server.ServerStatus;
import io.ployer.engine.source.DeployKeys;
import io.ployer.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validating a remote server opens a real SSH session. The remote host is an in-process SSH server
 * on loopback whose {@code docker version} answers a fixed version: a remote Docker cannot run here,
 * so that one command is a hand-written stand-in.
 */
class RemoteServerValidationTest {
    @TempDir
    Path directory;

    private static SshServer sshServer(int port, Path hostKey, PublicKey accepted) throws IOException {
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        KeyPairProvider hostKeys = new SimpleGeneratorHostKeyProvider(hostKey);
        server.setKeyPairProvider(hostKeys);
        server.setPublickeyAuthenticator((user, key, session) -> user.equals("deploy") && key.equals(accepted));
        server.setCommandFactory((channel, command) -> new FixedAnswer(command.startsWith("docker version") ? "24.0.7\n" : null));
        server.start();
        return server;
    }

    /** Answers one command with fixed output (exit 0) or fails it (exit 127). */
    private static final class FixedAnswer implements Command {
        private final String output;
        private OutputStream out;
        private ExitCallback exit;

        FixedAnswer(String output) {
            this.output = output;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void setErrorStream(OutputStream err) {
        }

        @Override
        public void setInputStream(InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream stream) {
            this.out = stream;
        }

        @Override
        public void start(ChannelSession channel, Environment environment) throws IOException {
            if (output != null) {
                out.write(output.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            exit.onExit(output == null ? 127 : 0);
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }

    @Test
    void checksSshAndDockerAndPinsTheHostKey() throws Exception {
        var key = DeployKeys.generate("server", "ployer", KeyAlgorithm.ED25519, Clock.systemUTC());
        KeyPair identity = DeployKeys.loadKeyPairs(key.privateKey()).iterator().next();
        int port = FreePorts.next();
        try (Ployer ployer = Ployer.builder().dataDirectory(directory.resolve("data")).config(Map.of("reconcile", "false")).build()) {
            ployer.start();
            Server server = ployer.servers().create(new ServerSpec("edge", "127.0.0.1", port, "deploy", key.privateKey()));

            SshServer ssh = sshServer(port, directory.resolve("host-a.ser"), identity.getPublic());
            try {
                ServerCheck online = ployer.servers().validate(server.id());
                assertThat(online.status()).as(online.message()).isEqualTo(ServerStatus.ONLINE);
                assertThat(online.message()).contains("Docker 24.0.7");
                assertThat(online.message()).doesNotContain(key.privateKey().lines().skip(1).findFirst().orElseThrow());

                var otherKey = DeployKeys.generate("server", "other", KeyAlgorithm.ED25519, Clock.systemUTC());
                Server wrongKey = ployer.servers().create(new ServerSpec("edge-wrong", "127.0.0.1", port, "deploy", otherKey.privateKey()));
                ServerCheck refused = ployer.servers().validate(wrongKey.id());
                assertThat(refused.status()).isEqualTo(ServerStatus.OFFLINE);
                assertThat(refused.message()).contains("authentication failed");
            } finally {
                ssh.stop(true);
            }

            ServerCheck unreachable = ployer.servers().validate(server.id());
            assertThat(unreachable.status()).isEqualTo(ServerStatus.OFFLINE);
            assertThat(unreachable.message()).contains("cannot reach");

            SshServer impostor = sshServer(port, directory.resolve("host-b.ser"), identity.getPublic());
            try {
                ServerCheck mismatch = ployer.servers().validate(server.id());
                assertThat(mismatch.status()).isEqualTo(ServerStatus.OFFLINE);
                assertThat(mismatch.message()).contains("host key").contains("changed");
            } finally {
                impostor.stop(true);
            }
            assertThat(ployer.servers().find(server.id()).orElseThrow().status()).isEqualTo(ServerStatus.OFFLINE);
        }
    }

    @Test
    void theBackgroundCheckReportsStatusChangesAsEvents() throws Exception {
        var key = DeployKeys.generate("server", "ployer", KeyAlgorithm.ED25519, Clock.systemUTC());
        KeyPair identity = DeployKeys.loadKeyPairs(key.privateKey()).iterator().next();
        int port = FreePorts.next();
        try (Ployer ployer = Ployer.builder().dataDirectory(directory.resolve("watch")).config(Map.of("servers.check-interval", "300ms"))
                .build()) {
            ployer.start();
            java.util.List<io.ployer.api.event.PloyerEvent.ServerStatusChanged> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
            ployer.events().subscribe(event -> {
                if (event instanceof io.ployer.api.event.PloyerEvent.ServerStatusChanged changed) {
                    changes.add(changed);
                }
            });
            Server server = ployer.servers().create(new ServerSpec("watched", "127.0.0.1", port, "deploy", key.privateKey()));
            await(() -> changes.stream().anyMatch(change -> change.serverId().equals(server.id()) && change.to() == ServerStatus.OFFLINE));
            SshServer ssh = sshServer(port, directory.resolve("host-w.ser"), identity.getPublic());
            try {
                await(() -> changes.stream().anyMatch(change -> change.serverId().equals(server.id()) && change.to() == ServerStatus.ONLINE));
            } finally {
                ssh.stop(true);
            }
            assertThat(changes).filteredOn(change -> change.serverId().equals(server.id())).extracting(change -> change.topic())
                    .containsOnly("server:" + server.id());
        }
    }

    @Test
    void measuresARemoteServersResourcesOverSsh() throws Exception {
        // The "remote" host is this machine behind an in-process SSH server that runs each command
        // with /bin/sh -c, as OpenSSH does: the figures come from the real /proc and df.
        var key = DeployKeys.generate("server", "ployer", KeyAlgorithm.ED25519, Clock.systemUTC());
        KeyPair identity = DeployKeys.loadKeyPairs(key.privateKey()).iterator().next();
        int port = FreePorts.next();
        SshServer ssh = SshServer.setUpDefaultServer();
        ssh.setHost("127.0.0.1");
        ssh.setPort(port);
        ssh.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(directory.resolve("host-r.ser")));
        ssh.setPublickeyAuthenticator((user, offered, session) -> user.equals("deploy") && offered.equals(identity.getPublic()));
        ssh.setCommandFactory((channel, command) -> new org.apache.sshd.server.shell.ProcessShellFactory("/bin/sh", "/bin/sh", "-c", command)
                .createShell(channel));
        ssh.start();
        try (Ployer ployer = Ployer.builder().dataDirectory(directory.resolve("data")).config(Map.of("reconcile", "false")).build()) {
            ployer.start();
            Server remote = ployer.servers().create(new ServerSpec("edge", "127.0.0.1", port, "deploy", key.privateKey()));
            Server local = ployer.servers().list().stream().filter(Server::local).findFirst().orElseThrow();
            var measured = ployer.servers().resources(remote.id());
            var reference = ployer.servers().resources(local.id()); // OSHI, in process
            assertThat(measured.cpuCores()).isEqualTo(reference.cpuCores());
            assertThat(measured.cpuModel()).isEqualTo(reference.cpuModel().strip());
            assertThat(measured.memoryTotalBytes()).isCloseTo(reference.memoryTotalBytes(), org.assertj.core.data.Percentage.withPercentage(1));
            assertThat(measured.memoryUsedBytes()).isPositive().isLessThan(measured.memoryTotalBytes());
            assertThat(measured.diskTotalBytes()).isPositive().isGreaterThanOrEqualTo(measured.diskFreeBytes());
            assertThat(measured.uptimeSeconds()).isCloseTo(reference.uptimeSeconds(), org.assertj.core.data.Offset.offset(5L));
            assertThat(measured.loadAverage()).isNotNegative();
        } finally {
            ssh.stop(true);
        }
    }

    @Test
    void aRemoteServerWithoutAKeyOrOutOfReachSaysWhy() throws Exception {
        try (Ployer ployer = Ployer.builder().dataDirectory(directory.resolve("data")).config(Map.of("reconcile", "false")).build()) {
            ployer.start();
            Server keyless = ployer.servers().create(new ServerSpec("keyless", "127.0.0.1", FreePorts.next(), "deploy", null));
            assertThatThrownBy(() -> ployer.servers().resources(keyless.id())).isInstanceOfSatisfying(PloyerException.class, error -> {
                assertThat(error.code()).isEqualTo(StandardErrorCode.INVALID_STATE);
                assertThat(error.getMessage()).contains("SSH key");
            });
            var key = DeployKeys.generate("server", "ployer", KeyAlgorithm.ED25519, Clock.systemUTC());
            Server gone = ployer.servers().create(new ServerSpec("gone", "127.0.0.1", FreePorts.next(), "deploy", key.privateKey()));
            assertThatThrownBy(() -> ployer.servers().resources(gone.id())).isInstanceOfSatisfying(PloyerException.class, error -> {
                assertThat(error.code()).isEqualTo(StandardErrorCode.RUNTIME_FAILURE);
                assertThat(error.getMessage()).contains("cannot reach").doesNotContain(key.privateKey().lines().skip(1).findFirst().orElseThrow());
            });
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(50);
        }
    }

}
