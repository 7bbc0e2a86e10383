package io.ployer.engine.server;

import io.ployer.api.server.Server;
import io.ployer.api.server.ServerCheck;
import io.ployer.api.server.ServerStatus;
import io.ployer.engine.source.DeployKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Validates a remote server for real: an SSH session with its key, the host key pinned on first
 * use (a changed host key is refused), and {@code docker version} run there.
 */
final class SshServerCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private SshServerCheck() {
    }

    /**
     * @param pinnedHostKey the host key fingerprint remembered from an earlier check, if any
     * @param remember      receives the host key fingerprint after a first successful check
     */
    static ServerCheck check(Server server, String privateKey, Optional<String> pinnedHostKey, Consumer<String> remember) {
        KeyPair identity;
        try {
            identity = DeployKeys.loadKeyPairs(privateKey).iterator().next();
        } catch (RuntimeException e) {
            return new ServerCheck(ServerStatus.OFFLINE, "the server's SSH key cannot be read");
        }
        AtomicReference<String> seenHostKey = new AtomicReference<>();
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, address, key) -> {
            String fingerprint = KeyUtils.getFingerPrint(key);
            seenHostKey.set(fingerprint);
            return pinnedHostKey.map(fingerprint::equals).orElse(true);
        });
        client.start();
        try (ClientSession session = client.connect(server.username() == null ? "root" : server.username(), server.host(), server.port())
                .verify(TIMEOUT).getSession()) {
            session.addPublicKeyIdentity(identity);
            try {
                session.auth().verify(TIMEOUT);
            } catch (IOException e) {
                if (pinnedHostKey.isPresent() && seenHostKey.get() != null && !pinnedHostKey.get().equals(seenHostKey.get())) {
                    return new ServerCheck(ServerStatus.OFFLINE, "the host key of " + server.host() + " changed (now "
                            + seenHostKey.get() + "): refusing to connect");
                }
                return new ServerCheck(ServerStatus.OFFLINE, "SSH authentication failed for " + server.username() + "@" + server.host());
            }
            String version = run(session, "docker version --format '{{.Server.Version}}'");
            if (pinnedHostKey.isEmpty() && seenHostKey.get() != null) {
                remember.accept(seenHostKey.get());
            }
            if (version == null || version.isBlank()) {
                return new ServerCheck(ServerStatus.OFFLINE, "SSH works, but Docker does not answer on " + server.host());
            }
            return new ServerCheck(ServerStatus.ONLINE, "SSH works and Docker " + version.strip() + " answers");
        } catch (IOException e) {
            if (pinnedHostKey.isPresent() && seenHostKey.get() != null && !pinnedHostKey.get().equals(seenHostKey.get())) {
                return new ServerCheck(ServerStatus.OFFLINE, "the host key of " + server.host() + " changed (now "
                        + seenHostKey.get() + "): refusing to connect");
            }
            return new ServerCheck(ServerStatus.OFFLINE, "cannot reach " + server.host() + ":" + server.port() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } finally {
            client.stop();
        }
    }

    private static String run(ClientSession session, String command) throws IOException {
        try (ChannelExec channel = session.createExecChannel(command)) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            channel.setOut(output);
            channel.setErr(new ByteArrayOutputStream());
            channel.open().verify(TIMEOUT);
            channel.waitFor(java.util.EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT);
            Integer status = channel.getExitStatus();
            return status != null && status == 0 ? output.toString(StandardCharsets.UTF_8) : null;
        }
    }
}
