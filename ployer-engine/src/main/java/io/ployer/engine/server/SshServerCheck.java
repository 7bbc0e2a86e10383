package io.ployer.engine.server;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerCheck;
import io.ployer.api.server.ServerResources;
import io.ployer.api.server.ServerStatus;
import io.ployer.engine.source.DeployKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Talks to a remote server for real: an SSH session with its key, the host key pinned on first
 * use (a changed host key is refused); {@link #check} runs {@code docker version} there and
 * {@link #resources} reads the Linux host's CPU, memory, disk and uptime from {@code /proc}.
 */
final class SshServerCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * One POSIX shell command (run by the remote login shell, as OpenSSH does) printing what
     * {@link #parseResources} reads: {@code key=value} lines, two /proc/meminfo lines and the
     * df line of the root file system.
     */
    static final String RESOURCES_COMMAND = "echo cpu_model=$(grep -m1 -E '^(model name|Hardware|Processor)' /proc/cpuinfo | cut -d: -f2-);"
            + " echo cpu_cores=$(getconf _NPROCESSORS_ONLN);"
            + " echo load=$(cut -d' ' -f1 /proc/loadavg);"
            + " grep -E '^(MemTotal|MemAvailable):' /proc/meminfo;"
            + " echo disk=$(df -Pk / | tail -n 1);"
            + " echo uptime=$(cut -d' ' -f1 /proc/uptime)";

    private SshServerCheck() {
    }

    /** Why a session could not be had, in words for the operator. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    @FunctionalInterface
    private interface InSession<T> {
        T run(ClientSession session) throws IOException, Refused;
    }

    /**
     * @param pinnedHostKey the host key fingerprint remembered from an earlier check, if any
     * @param remember      receives the host key fingerprint after a first successful check
     */
    static ServerCheck check(Server server, InetAddress address, String privateKey, Optional<String> pinnedHostKey,
                             Consumer<String> remember) {
        try {
            String version = inSession(server, address, privateKey, pinnedHostKey, remember,
                    session -> run(session, "docker version --format '{{.Server.Version}}'"));
            if (version == null || version.isBlank()) {
                return new ServerCheck(ServerStatus.OFFLINE, "SSH works, but Docker does not answer on " + server.host());
            }
            return new ServerCheck(ServerStatus.ONLINE, "SSH works and Docker " + version.strip() + " answers");
        } catch (Refused refused) {
            return new ServerCheck(ServerStatus.OFFLINE, refused.getMessage());
        }
    }

    /** Measures the remote host over SSH; a failure to connect or to read /proc is a {@link StandardErrorCode#RUNTIME_FAILURE}. */
    static ServerResources resources(Server server, InetAddress address, String privateKey, Optional<String> pinnedHostKey,
                                     Consumer<String> remember) {
        try {
            String output = inSession(server, address, privateKey, pinnedHostKey, remember, session -> run(session, RESOURCES_COMMAND));
            if (output == null) {
                throw new Refused("the resources of " + server.host() + " cannot be read (a Linux host with /proc is needed)");
            }
            return parseResources(output);
        } catch (Refused refused) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, refused.getMessage());
        }
    }

    /** Reads the output of {@link #RESOURCES_COMMAND}. */
    static ServerResources parseResources(String output) throws Refused {
        Map<String, String> values = new HashMap<>();
        output.lines().forEach(line -> {
            int colon = line.indexOf(':');
            int equals = line.indexOf('=');
            if (line.startsWith("Mem") && colon > 0) {
                values.put(line.substring(0, colon), line.substring(colon + 1).replace("kB", "").strip());
            } else if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1).strip());
            }
        });
        try {
            String[] disk = values.getOrDefault("disk", "").split("\\s+");
            long memoryTotal = Long.parseLong(values.get("MemTotal")) * 1024;
            long memoryAvailable = Long.parseLong(values.get("MemAvailable")) * 1024;
            String model = values.getOrDefault("cpu_model", "");
            return new ServerResources(model.isBlank() ? "unknown" : model, Integer.parseInt(values.get("cpu_cores")),
                    Double.parseDouble(values.get("load")), memoryTotal, memoryTotal - memoryAvailable,
                    Long.parseLong(disk[1]) * 1024, Long.parseLong(disk[3]) * 1024, (long) Double.parseDouble(values.get("uptime")));
        } catch (RuntimeException e) {
            throw new Refused("the resources reported by the host could not be read: " + e.getClass().getSimpleName());
        }
    }

    /** A session with the server at {@code address}: the address its host was resolved to and checked as, never the name again. */
    private static <T> T inSession(Server server, InetAddress address, String privateKey, Optional<String> pinnedHostKey, Consumer<String> remember,
                                   InSession<T> work) throws Refused {
        KeyPair identity;
        try {
            identity = DeployKeys.loadKeyPairs(privateKey).iterator().next();
        } catch (RuntimeException e) {
            throw new Refused("the server's SSH key cannot be read");
        }
        AtomicReference<String> seenHostKey = new AtomicReference<>();
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, remoteAddress, key) -> {
            String fingerprint = KeyUtils.getFingerPrint(key);
            seenHostKey.set(fingerprint);
            return pinnedHostKey.map(fingerprint::equals).orElse(true);
        });
        client.start();
        try (ClientSession session = client.connect(server.username() == null ? "root" : server.username(),
                new InetSocketAddress(address, server.port()))
                .verify(TIMEOUT).getSession()) {
            session.addPublicKeyIdentity(identity);
            try {
                session.auth().verify(TIMEOUT);
            } catch (IOException e) {
                refuseChangedHostKey(server, pinnedHostKey, seenHostKey.get());
                throw new Refused("SSH authentication failed for " + server.username() + "@" + server.host());
            }
            T result = work.run(session);
            if (pinnedHostKey.isEmpty() && seenHostKey.get() != null) {
                remember.accept(seenHostKey.get());
            }
            return result;
        } catch (IOException e) {
            refuseChangedHostKey(server, pinnedHostKey, seenHostKey.get());
            throw new Refused("cannot reach " + server.host() + ":" + server.port() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } finally {
            client.stop();
        }
    }

    private static void refuseChangedHostKey(Server server, Optional<String> pinned, String seen) throws Refused {
        if (pinned.isPresent() && seen != null && !pinned.get().equals(seen)) {
            throw new Refused("the host key of " + server.host() + " changed (now " + seen + "): refusing to connect");
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
